"""The API's routers: reading (planning), scenarios, runs."""
