#!/usr/bin/env python3
"""Records the bytes real clients send, as fuzz seeds (issue 13; capture_wire_seeds.sh).

    wire_recorder.py OUT_DIR PORT_FILE

Listens on 127.0.0.1 on free ports: HTTP/1.1 over TCP, and DNS over UDP and TCP. Writes the
ports to PORT_FILE as "http=N dns=N". Each request is saved as OUT_DIR/<label>-<n>, where
<label> is the content of OUT_DIR/.label when the request arrives (the caller sets it before
each client it runs): an HTTP request as received (head and body), a DNS message without the
TCP length prefix. HTTP gets "200 {}" with Connection: close; a DNS query gets its header
echoed with QR set and RCODE REFUSED, so the client stops at once. Stops on SIGTERM.
"""
import os
import socket
import sys
import threading

out_dir, port_file = sys.argv[1], sys.argv[2]
lock = threading.Lock()
counts = {}


def save(data):
    with lock:
        try:
            with open(os.path.join(out_dir, ".label")) as f:
                label = f.read().strip() or "unlabelled"
        except FileNotFoundError:
            label = "unlabelled"
        counts[label] = counts.get(label, 0) + 1
        with open(os.path.join(out_dir, f"{label}-{counts[label]}"), "wb") as f:
            f.write(data)


def refused(query):
    if len(query) < 12:
        return b""
    flags = bytes([query[2] | 0x80, (query[3] & 0xF0) | 5])
    return query[:2] + flags + b"\0\0" * 4


def read_http(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    conn.settimeout(2)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def serve_http(sock):
    while True:
        conn, _ = sock.accept()
        with conn:
            conn.settimeout(5)
            try:
                data = read_http(conn)
            except OSError:
                continue
            if data:
                save(data)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")


def serve_dns_udp(sock):
    while True:
        query, peer = sock.recvfrom(65535)
        save(query)
        if answer := refused(query):
            sock.sendto(answer, peer)


def serve_dns_tcp(sock):
    while True:
        conn, _ = sock.accept()
        with conn:
            conn.settimeout(5)
            try:
                size = int.from_bytes(conn.recv(2, socket.MSG_WAITALL), "big")
                query = conn.recv(size, socket.MSG_WAITALL)
            except OSError:
                continue
            save(query)
            if answer := refused(query):
                conn.sendall(len(answer).to_bytes(2, "big") + answer)


http = socket.create_server(("127.0.0.1", 0))
dns_tcp = socket.create_server(("127.0.0.1", 0))
dns_udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
dns_udp.bind(("127.0.0.1", dns_tcp.getsockname()[1]))
for target, sock in ((serve_http, http), (serve_dns_tcp, dns_tcp), (serve_dns_udp, dns_udp)):
    threading.Thread(target=target, args=(sock,), daemon=True).start()
with open(port_file + ".tmp", "w") as f:
    f.write(f"http={http.getsockname()[1]} dns={dns_tcp.getsockname()[1]}\n")
os.rename(port_file + ".tmp", port_file)
threading.Event().wait()
