"""The one block set every CivicPulse page body is built from."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        help_text="What the image shows, for people who cannot see it. "
        "Leave empty only for a decorative image.",
    )
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(
        required=False, help_text="Shown as the link text; the file's title if empty."
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"


class MilestoneBlock(blocks.StructBlock):
    date = blocks.DateBlock()
    title = blocks.CharBlock(max_length=200)
    description = blocks.TextBlock(required=False)
    done = blocks.BooleanBlock(required=False, help_text="Tick once it has happened.")


class TimelineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, default="Timeline")
    milestones = blocks.ListBlock(MilestoneBlock())

    class Meta:
        icon = "list-ol"
        template = "blocks/timeline_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="blocks/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    document = DocumentBlock()
    timeline = TimelineBlock()
    quote = blocks.BlockQuoteBlock()
