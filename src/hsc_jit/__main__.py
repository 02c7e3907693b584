from hsc_jit.cli import app

app()
