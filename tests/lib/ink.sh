# shellcheck shell=sh
# ink.sh: the one ink checker of the PDF tests (sourced): how much of a page rendered by
# `pdftoppm -gray` (a binary greyscale PGM) is drawn.
#   ink_pixels PGM   the number of dark pixels (grey < 128); the few header bytes count too,
#                    which is far under any threshold a page of text is held to.
ink_pixels() {
    od -An -v -tu1 "$1" | awk '{ for (i = 1; i <= NF; i++) if ($i < 128) n++ } END { print n + 0 }'
}
#   glyph_pixels PGM the dark pixels of glyphs: those in runs of fewer than 20 along a row.
#                    A table's rules and a page's borders are long runs and do not count, so a
#                    page whose text was not drawn has next to none however many tables it has.
glyph_pixels() {
    od -An -v -tu1 "$1" | awk '
    {
        for (i = 1; i <= NF; i++) {
            b = $i
            if (hdr < 4) { # "P5 WIDTH HEIGHT MAXVAL", then one white space byte, then the pixels
                if (b == 32 || b == 9 || b == 10 || b == 13) {
                    if (tok != "") { hdr++; if (hdr == 2) w = tok + 0; tok = "" }
                } else tok = tok sprintf("%c", b)
                continue
            }
            if (b < 128) run++
            else { if (run > 0 && run < 20) n += run; run = 0 }
            if (++x == w) { if (run > 0 && run < 20) n += run; run = 0; x = 0 }
        }
    }
    END { print n + 0 }'
}
