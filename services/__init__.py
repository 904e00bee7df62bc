"""The help desk's services, with no web framework: one object built with everything it needs and handed to the
JSON API and the pages, so a rule (a role, a 503 when the database is down, a validation) holds for both.

>>> services = Services.create(settings, engine)                  # doctest: +SKIP
>>> services.authoring.save(text, author="jan", role="writer")     # doctest: +SKIP
"""

import logging
from dataclasses import dataclass

from kb.assist.assistant import Assistant
from services.accounts import Identities
from services.analytics import Analytics
from services.audit import AuditLog
from services.authoring import Authoring
from services.contacts import Contacts
from services.embed import EmbedTokens
from services.content_folder import ContentFolder
from services.db import Database
from services.drafts import Drafts
from services.escalations import Escalations
from services.eventlog import EventLog
from services.guides import Guides
from services.learning import Learning
from services.publisher import Publisher
from services.replication import Replication
from services.training import Training
from services.translations import Translations

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Settings, engine, database and the services built on them."""

    settings: object
    engine: object
    database: Database
    events: EventLog
    assistant: Assistant
    publisher: Publisher
    authoring: Authoring
    contacts: Contacts
    escalations: Escalations
    training: Training
    analytics: Analytics
    identities: Identities
    audit: AuditLog = None
    learning: Learning = None
    guides: Guides = None
    drafts: Drafts = None
    translations: Translations = None
    replication: Replication = None

    @classmethod
    def create(cls, settings, engine, database=None, builder=None):
        """Wire the services; nothing connects to the database until first use (and a down database is retried)."""
        from indexer import IndexBuilder

        database = database or Database(settings.database_url)
        builder = builder or IndexBuilder(settings, embedder=engine.embedder)
        events = EventLog(database)
        learning = Learning(database, engine, settings)
        assistant = Assistant(engine, usage=learning.ranker())
        folder = ContentFolder(settings.content_dir, engine)
        publisher = Publisher(database, engine, builder, settings, folder)
        authoring = Authoring(database, engine, publisher, folder)
        escalations = Escalations(database, engine, authoring)
        return cls(settings=settings, engine=engine, database=database, events=events, assistant=assistant,
                   publisher=publisher, authoring=authoring, contacts=Contacts(database, engine, assistant, events, settings.secret_key),
                   escalations=escalations, training=Training(database, engine),
                   analytics=Analytics(database, authoring, learning),
                   identities=Identities(database, embed=EmbedTokens(database, settings.secret_key)),
                   audit=AuditLog(database, settings.audit_retention_days),
                   learning=learning, guides=Guides(database, engine, escalations), drafts=Drafts(database, engine),
                   translations=Translations(authoring, engine),
                   replication=Replication(database, publisher, settings.sync_interval))

    def start(self, background=True):
        """Start-up work: apply content changes committed while this process was down (when the database is up),
        then (``background``) the thread that follows the changes other replicas commit."""
        if background:
            self.replication.start()
        try:
            self.database.ensure()
        except Exception as exc:  # noqa: BLE001 - serve search now; the database is retried on use
            log.warning("database %s unavailable at start (%s): serving search; retrying on use",
                        self.settings.database_url, exc)
            return self
        self.publisher.apply_pending()
        self.audit.prune()
        return self
