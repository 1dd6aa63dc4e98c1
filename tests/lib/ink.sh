# shellcheck shell=sh
# ink.sh: the one ink checker of the PDF tests (sourced): how much of a page rendered by
# `pdftoppm -gray` (a binary greyscale PGM) is drawn.
#   ink_pixels PGM   the number of dark pixels (grey < 128); the few header bytes count too,
#                    which is far under any threshold a page of text is held to.
ink_pixels() {
    od -An -v -tu1 "$1" | awk '{ for (i = 1; i <= NF; i++) if ($i < 128) n++ } END { print n + 0 }'
}
