#!/usr/bin/python3
"""Independent discovery probe for the simulator tests (run inside a test network namespace).

Sends one WS-Discovery Probe (WS-Discovery 2005/04) and one mDNS PTR query for _axis-video._tcp
(RFC 6762 legacy unicast: from an ephemeral port) out of the given local address, collects the
answers for a while, fetches GetSystemDateAndTime from every XAddr, and prints JSON.
Usage: discovery-probe.py LOCAL_ADDR WSD_PORT MDNS_PORT SECONDS
"""
import json
import re
import socket
import struct
import sys
import time
import urllib.request
import uuid

local, wsd_port, mdns_port, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])

PROBE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
    'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
    'xmlns:dn="http://www.onvif.org/ver10/network/wsdl">'
    '<s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>'
    '<a:MessageID>urn:uuid:%s</a:MessageID>'
    '<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>'
    '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>'
) % uuid.uuid4()


def udp_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((local, 0))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    s.settimeout(0.2)
    return s


def collect(s, until):
    out = []
    while time.time() < until:
        try:
            data, _ = s.recvfrom(65535)
            out.append(data)
        except socket.timeout:
            pass
    return out


def read_name(buf, p):
    labels, end, jumps = [], None, 0
    while True:
        n = buf[p]
        if n == 0:
            return '.'.join(labels), (end if end is not None else p + 1)
        if n & 0xC0 == 0xC0:
            if end is None:
                end = p + 2
            p = ((n & 0x3F) << 8) | buf[p + 1]
            jumps += 1
            if jumps > 16:
                raise ValueError('loop')
            continue
        labels.append(buf[p + 1:p + 1 + n].decode())
        p += 1 + n


def parse_dns(buf):
    qd, an, ns, ar = struct.unpack('>HHHH', buf[4:12])
    p = 12
    for _ in range(qd):
        _, p = read_name(buf, p)
        p += 4
    records = []
    for _ in range(an + ns + ar):
        name, p = read_name(buf, p)
        rtype, _, ttl, rdlen = struct.unpack('>HHIH', buf[p:p + 10])
        p += 10
        rdata = buf[p:p + rdlen]
        if rtype == 12:
            records.append({'type': 'PTR', 'name': name, 'target': read_name(buf, p)[0]})
        elif rtype == 33:
            prio, weight, port = struct.unpack('>HHH', rdata[:6])
            records.append({'type': 'SRV', 'name': name, 'port': port, 'target': read_name(buf, p + 6)[0]})
        elif rtype == 16:
            txt, q = [], 0
            while q < len(rdata):
                txt.append(rdata[q + 1:q + 1 + rdata[q]].decode())
                q += 1 + rdata[q]
            records.append({'type': 'TXT', 'name': name, 'txt': txt})
        elif rtype == 1:
            records.append({'type': 'A', 'name': name, 'address': socket.inet_ntoa(rdata)})
        p += rdlen
    return records


deadline = time.time() + seconds
wsd = udp_socket()
wsd.sendto(PROBE.encode(), ('239.255.255.250', wsd_port))
mdns = udp_socket()
query = struct.pack('>HHHHHH', 0x1234, 0, 1, 0, 0, 0)
for label in '_axis-video._tcp.local'.split('.'):
    query += bytes([len(label)]) + label.encode()
query += b'\x00' + struct.pack('>HH', 12, 1)
mdns.sendto(query, ('224.0.0.251', mdns_port))

matches = []
for data in collect(wsd, deadline):
    text = data.decode()
    matches.append({
        'xaddrs': re.search(r'<d:XAddrs>([^<]*)</d:XAddrs>', text).group(1),
        'scopes': re.search(r'<d:Scopes>([^<]*)</d:Scopes>', text).group(1).split(),
        'endpoint': re.search(r'<a:Address>([^<]*)</a:Address>', text).group(1),
        'relates': 'RelatesTo' in text,
    })
records = []
for data in collect(mdns, deadline + 0.5):
    records.extend(parse_dns(data))

times = []
for m in matches:
    body = ('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'
            '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>')
    req = urllib.request.Request(m['xaddrs'], data=body.encode(), headers={'Content-Type': 'application/soap+xml'})
    with urllib.request.urlopen(req, timeout=3) as res:
        times.append(res.status)

print(json.dumps({'wsd': matches, 'mdns': records, 'deviceStatus': times}))
