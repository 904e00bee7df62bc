"""The pages of the app with the role each is for, rendered by the page tests (policy, languages).

>>> ("consultant", "/") in PAGES
True
"""

PAGES = [  # (role, url)
    ("consultant", "/"), ("consultant", "/?q=drain&category=washing-machine"), ("consultant", "/articles/ww90t-not-draining"),
    ("consultant", "/articles/pralka-nie-odpompowuje-pl"), ("consultant", "/followups"), ("engineer", "/followups"),
    ("writer", "/write"), ("writer", "/write/tv-wifi-drops"), ("writer", "/review"), ("reviewer", "/review"),
    ("writer", "/reading/article/qn90d-no-sound"), ("consultant", "/learn"), ("consultant", "/learn/washing-machine"),
    ("consultant", "/reading"), ("consultant", "/practice"), ("team-lead", "/insights"),
    ("team-lead", "/insights?from=2026-01-01&to=2026-02-01&category=technical-service"), (None, "/login"),
    ("consultant", "/escalations/new?path=complaints&question=Broken+door"),
]
