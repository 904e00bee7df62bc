"""The API's blueprints, for the composition root to register."""

from assist_api import (admin_views, analytics_views, assist_views, authoring_views, embed_views, guide_views,
                        search_api)

BLUEPRINTS = (search_api.bp, assist_views.bp, analytics_views.bp, authoring_views.bp, admin_views.bp, embed_views.bp,
              guide_views.bp)
