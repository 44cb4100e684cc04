"""``python -m dashboard [--host H] [--port P] [--workers N]``: serve the dashboard."""

if __name__ == "__main__":  # worker processes (spawned) import this module too: do nothing then
    from dashboard.server import main

    main()
