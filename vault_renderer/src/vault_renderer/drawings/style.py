"""The stylesheet that inline drawings need: fitting the column and the dark variants."""

# Dark mode, decided per kind of drawing:
# - draw.io diagrams are drawn by their authors on white paper with colours chosen for it
#   (seed 000 brings its own dark background rectangle). Recolouring them would change
#   what the author drew, so in Material's dark scheme they sit on a white card: dark
#   text on a transparent diagram stays readable, and a diagram with its own background
#   covers the card.
# - Excalidraw drawings get Excalidraw's own dark mode: invert the lightness and turn
#   the hue back (invert + hue-rotate(180deg)), so black strokes become near-white and
#   colours keep their hue; embedded images are inverted back to look as they are.
DRAWING_CSS = """\
.vr-drawing {
  max-width: 100%;
  height: auto;
}
[data-md-color-scheme="slate"] .vr-drawio {
  background-color: #ffffff;
  border-radius: 0.2rem;
}
[data-md-color-scheme="slate"] .vr-excalidraw {
  filter: invert(93%) hue-rotate(180deg);
}
[data-md-color-scheme="slate"] .vr-excalidraw image {
  filter: invert(100%) hue-rotate(180deg);
}
"""
