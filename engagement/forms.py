"""The report form: fixed fields plus the chosen service's own questions."""

from django import forms

from .models import AttributeDatatype, Service
from .models.requests import MAX_DESCRIPTION_LENGTH


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to a few photos in one input; each is checked by the photo service."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    address = forms.CharField(
        max_length=300,
        required=False,
        help_text="A street address or a nearby corner, e.g. “24 Beacon St”. "
        "Or mark the place on the map.",
    )
    lat = forms.FloatField(
        required=False,
        label="Latitude",
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    long = forms.FloatField(
        required=False,
        label="Longitude",
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    description = forms.CharField(
        required=False,
        max_length=MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What is wrong, and anything that helps a crew find it. "
        f"Up to {MAX_DESCRIPTION_LENGTH} characters.",
    )
    photos = MultiplePhotoField(
        required=False,
        label="Photos",
        help_text="Up to 3 photos (JPEG, PNG or WebP, 10 MB each). Location data "
        "in the photos is removed.",
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    anonymous = forms.BooleanField(
        required=False,
        label="Hide my name publicly",
        help_text="City staff still see who reported it; the public does not.",
    )

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.attribute_fields = []
        for attr in service.attributes.all():
            if not attr.variable:
                continue
            name = f"attribute_{attr.code}"
            self.fields[name] = _field_for(attr)
            self.attribute_fields.append(name)

    def attribute_answers(self) -> dict:
        return {
            name.removeprefix("attribute_"): self.cleaned_data.get(name)
            for name in self.attribute_fields
        }


def _field_for(attr) -> forms.Field:
    common = {
        "label": attr.description,
        "required": False,  # the service reports missing answers by name
        "help_text": attr.datatype_description
        or ("Required." if attr.required else "Optional."),
    }
    choices = [(str(v["key"]), v.get("name", v["key"])) for v in attr.values]
    kind = attr.datatype
    if kind == AttributeDatatype.SINGLEVALUELIST:
        return forms.ChoiceField(choices=[("", "Choose…"), *choices], **common)
    if kind == AttributeDatatype.MULTIVALUELIST:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == AttributeDatatype.NUMBER:
        return forms.CharField(
            widget=forms.NumberInput(attrs={"step": "any"}), **common
        )
    if kind == AttributeDatatype.DATETIME:
        return forms.CharField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common
        )
    if kind == AttributeDatatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    return forms.CharField(max_length=200, **common)


class EditReportForm(forms.Form):
    description = forms.CharField(
        required=False,
        max_length=MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Up to {MAX_DESCRIPTION_LENGTH} characters.",
    )
    anonymous = forms.BooleanField(required=False, label="Hide my name publicly")
