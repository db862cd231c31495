"""Operations: what runs around the engine, on every platform alike.

Settings, the engine as the adapters hold it (`live.Bot`: conversation memory and the question
log around the live engine), reloads, the service runner, health and metrics, shared state,
the question log and its reports. It never imports `adapters`; the adapters import it.
"""
