"""Texts several tests send (a long e-mail ticket with a signature and a quoted reply), and an edit of a file in
place, as a writer or ``git pull`` makes it."""

LONG_TICKET = """Hello,

I bought a washing machine WW90T554DAW in March. Since last week it stops mid-cycle and the display shows 4C.
The tap is open and I already cleaned the filter on the hose, it still shows 4C every time. My neighbour has the
same tap and no problem. I have tried three different programmes, the cotton one, the quick wash and eco.
Could someone help me? I have small children and really need the machine working.

Kind regards,
Anna Nowak
+48 600 000 000

> On Mon, 2 Nov 2026, Nordiq Support wrote:
> Thank you for contacting us. Please clean the inlet filter.
> Best regards
"""


def replace_in_file(path, old, new):
    """Replace the first ``old`` in a text file with ``new``; return ``[path]`` (the files an update is told)."""
    path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    return [path]
