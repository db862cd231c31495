"""Translators between the engine and each platform: console, Slack, Discord.

Each adapter turns platform events into `bot.Question`s and `bot.Answer`s into platform
payloads, and nothing else. Platform SDKs are imported only when their adapter runs.
"""
