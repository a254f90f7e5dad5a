"""Bare Flask app used as the benchmark baseline (no templates, no database)."""

from flask import Flask

app = Flask(__name__)

PAGE = (
    "<!doctype html>\n<html><head><meta charset='utf-8'><title>hello</title></head>"
    "<body><p>hello</p></body></html>\n"
)


@app.get("/")
def hello():
    return PAGE
