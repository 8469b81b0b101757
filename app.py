"""Start the chat web page on the sample articles: ``python app.py [--host H] [--port P] [--store DIR]``.

The same as ``assistant serve``; see ``assistant serve --help`` for every option.
"""

from assistant.interfaces.cli import serve

if __name__ == "__main__":
    serve.main(prog_name="python app.py")
