"""The strings of the page scripts, marked for the message catalog (``KB.t("key")`` in ``common.js``).

Keys are the English text unless a script builds the key (``label_<code>``, ``filter_<name>``, ``level_<level>``);
``%(name)s`` placeholders are filled by the script. ``PLURALS`` are ``KB.tn(key, n)`` forms.

>>> MESSAGES["Saved"]
'Saved'
"""

from webui.messages import LABELS, N_


def Nn_(singular, plural):
    """Mark a singular and plural pair for the message catalog."""
    return singular, plural


MESSAGES = {
    '%(ms)s ms': N_('%(ms)s ms'),
    '%(value)s similar': N_('%(value)s similar'),
    '(no changes)': N_('(no changes)'),
    '(not stored)': N_('(not stored)'),
    'Answer copied': N_('Answer copied'),
    'Answer copied: %(title)s': N_('Answer copied: %(title)s'),
    'Archived': N_('Archived'),
    'Ask your team leader.': N_('Ask your team leader.'),
    'Calibrated confidence': N_('Calibrated confidence'),
    'Collect:': N_('Collect:'),
    'Copy answer': N_('Copy answer'),
    'Deleted in git. Restore a version from the history to bring the article back.':
        N_('Deleted in git. Restore a version from the history to bring the article back.'),
    'Detected:': N_('Detected:'),
    'Escalate: %(name)s': N_('Escalate: %(name)s'),
    'Filter by %(code)s': N_('Filter by %(code)s'),
    'Flagged: the owner gets a review task': N_('Flagged: the owner gets a review task'),
    'Flag…': N_('Flag…'),
    'Link copied': N_('Link copied'),
    'Marked as reviewed': N_('Marked as reviewed'),
    'The source version this translation was made from is not in the history.':
        N_('The source version this translation was made from is not in the history.'),
    'Translate into Polish': N_('Translate into Polish'),
    'Translate into English': N_('Translate into English'),
    'Languages of this article': N_('Languages of this article'),
    'no Polish version': N_('no Polish version'),
    'no English version': N_('no English version'),
    'Polish version out of date': N_('Polish version out of date'),
    'English version out of date': N_('English version out of date'),
    'No rule chose a path; you picked this one.': N_('No rule chose a path; you picked this one.'),
    'None.': N_('None.'),
    'Not helpful': N_('Not helpful'),
    'Not saved: conflict. Your text is kept below.': N_('Not saved: conflict. Your text is kept below.'),
    'Not saved: the server is not reachable. Your text is still here.': N_('Not saved: the server is not reachable. Your text is still here.'),
    'Possible answers (unconfirmed)': N_('Possible answers (unconfirmed)'),
    'Published': N_('Published'),
    'Remove filter %(name)s': N_('Remove filter %(name)s'),
    'Restored version %(n)s': N_('Restored version %(n)s'),
    'Saved': N_('Saved'),
    'Saving…': N_('Saving…'),
    'Search is not reachable.': N_('Search is not reachable.'),
    'Sent to review': N_('Sent to review'),
    'Suggested answers': N_('Suggested answers'),
    'Thanks for the feedback': N_('Thanks for the feedback'),
    'Thanks: marked as used': N_('Thanks: marked as used'),
    'The assist service is not reachable.': N_('The assist service is not reachable.'),
    'Their version is loaded; your body text is in the conflict panel to copy back.': N_('Their version is loaded; your body text is in the conflict panel to copy back.'),
    'Used this': N_('Used this'),
    'Why this path:': N_('Why this path:'),
    'Why this result?': N_('Why this result?'),
    'Working…': N_('Working…'),
    'You chose %(name)s instead.': N_('You chose %(name)s instead.'),
    'Your choice: %(name)s': N_('Your choice: %(name)s'),
    'answer within %(hours)s h': N_('answer within %(hours)s h'),
    'confidence %(value)s': N_('confidence %(value)s'),
    'diff': N_('diff'),
    'family %(codes)s': N_('family %(codes)s'),
    'intent: %(value)s': N_('intent: %(value)s'),
    'language: %(value)s': N_('language: %(value)s'),
    'line %(n)s': N_('line %(n)s'),
    'live: %(status)s': N_('live: %(status)s'),
    'meaning %(value)s': N_('meaning %(value)s'),
    'model': N_('model'),
    'model %(codes)s': N_('model %(codes)s'),
    'new': N_('new'),
    'no model recognised': N_('no model recognised'),
    'product %(match)s': N_('product %(match)s'),
    'restore': N_('restore'),
    'rule': N_('rule'),
    'searched for: %(words)s': N_('searched for: %(words)s'),
    'spelling %(words)s': N_('spelling %(words)s'),
    'the published version stays live until a reviewer publishes this one': N_('the published version stays live until a reviewer publishes this one'),
    'verify identity first': N_('verify identity first'),
    'version %(n)s': N_('version %(n)s'),
    'words: %(words)s': N_('words: %(words)s'),
    '↓ choose · Enter take it · Tab take the first · Esc close': N_('↓ choose · Enter take it · Tab take the first · Esc close'),
    'No escalation path': N_('No escalation path'),
    'No rule sends this ticket anywhere. If a team must take it, pick the path:':
        N_('No rule sends this ticket anywhere. If a team must take it, pick the path:'),
    # guided troubleshooting (guide.js) and reply drafts (draft.js)
    'step done': N_('step done'), 'fixed it': N_('fixed it'), 'did not fix it': N_('did not fix it'),
    '(escalate)': N_('(escalate)'),
    'Not recorded: the server is not reachable.': N_('Not recorded: the server is not reachable.'),
    'Recorded: fixed at step %(step)s': N_('Recorded: fixed at step %(step)s'),
    'Escalation %(id)s opened for %(team)s, due %(due)s. Enter: back to the article.':
        N_('Escalation %(id)s opened for %(team)s, due %(due)s. Enter: back to the article.'),
    'Not sent: the server is not reachable.': N_('Not sent: the server is not reachable.'),
    'There is no version of this article %(in_lang)s: the draft is %(in_used)s.':
        N_('There is no version of this article %(in_lang)s: the draft is %(in_used)s.'),
    'The version of this article %(in_lang)s is out of date: the draft is %(in_used)s.':
        N_('The version of this article %(in_lang)s is out of date: the draft is %(in_used)s.'),
    'There are no reply templates %(in_lang)s: the draft is %(in_used)s.':
        N_('There are no reply templates %(in_lang)s: the draft is %(in_used)s.'),
    'in Polish': N_('in Polish'), 'in English': N_('in English'),
    'No confident answer for this contact: the draft says what happens next instead of answering.':
        N_('No confident answer for this contact: the draft says what happens next instead of answering.'),
    'Drafting…': N_('Drafting…'), 'Draft copied': N_('Draft copied'),
    'Recorded: draft used': N_('Recorded: draft used'), 'Not recorded': N_('Not recorded'),
    "filter_product": N_("model"), "filter_category": N_("category"), "filter_type": N_("type"),
    "filter_lang": N_("language"),
    "level_high": N_("confident"), "level_medium": N_("possible"), "level_weak": N_("weak match"),
    **{f"label_{code}": text for code, text in LABELS.items()},
}

PLURALS = {
    "n_results": Nn_("%(num)s result", "%(num)s results"),
    "n_answers": Nn_("%(num)s answer", "%(num)s answers"),
    "n_followup_days": Nn_("follow-up call after %(num)s day", "follow-up call after %(num)s days"),
    "n_sentences": Nn_("%(num)s sentence, with its source", "%(num)s sentences, each with its source"),
}
