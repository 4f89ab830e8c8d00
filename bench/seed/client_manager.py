#!/usr/bin/env python3
"""A stand-in for the seed system's ClientManager, as far as certificate issuance touches it.

The seed's certbot plugin POSTs the HTTP-01 token and key authorization to ClientManager,
and nginx on the customer's host proxies /.well-known/acme-challenge/ to it. This server
does exactly that and nothing else, so bench/pipeline.sh can time the seed system's way
(certbot --manual with an auth hook that posts the token, then a deploy hook that writes
the files and reloads nginx) beside certfleet's on the same Pebble and nginx.

usage: client_manager.py PORT      (listens on 127.0.0.1 only)
  POST /tokens   form fields token=..., validation=...   stores the key authorization
  DELETE /tokens/<token>                                  forgets it
  GET /.well-known/acme-challenge/<token>                 serves it (404 when unknown)
"""
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

tokens = {}
lock = threading.Lock()
PREFIX = "/.well-known/acme-challenge/"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        if self.path != "/tokens":
            return self.reply(404)
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        token = form.get("token", [""])[0]
        validation = form.get("validation", [""])[0]
        if not token or not validation:
            return self.reply(400, b"token and validation are required\n")
        with lock:
            tokens[token] = validation
        self.reply(201)

    def do_DELETE(self):
        with lock:
            tokens.pop(self.path.rsplit("/", 1)[-1], None)
        self.reply(204)

    def do_GET(self):
        if not self.path.startswith(PREFIX):
            return self.reply(404)
        with lock:
            validation = tokens.get(self.path[len(PREFIX):])
        if validation is None:
            return self.reply(404)
        self.reply(200, validation.encode())

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
