"""The Slack bot (``assistant slack``): a thin layer over ``Assistant`` on slack-bolt.

- ``bot``: the Bolt app and its listeners (mentions, DMs, ``/ask``, buttons);
- ``state``: what it remembers across restarts (deliveries taken, answers behind buttons, rate);
- ``compat``: the same answers for Mattermost and Rocket.Chat (Slack-style webhooks);
- ``server``: credentials, the HTTP endpoints, Socket Mode, ``run``.

Answers are rendered by ``interfaces.render`` (Block Kit), feedback goes through
``interfaces.service.FeedbackLog``, the same file the web page writes.
"""

from __future__ import annotations

from .bot import SlackBot
from .compat import CompatWebhook
from .server import BotServer, Credentials, http_server, run
from .state import BotState

__all__ = ["BotServer", "BotState", "CompatWebhook", "Credentials", "SlackBot", "http_server", "run"]
