#!/usr/bin/env python3
"""Holds every packet of one NFQUEUE queue for --delay-ms, then lets it through.

Why this exists: NetworkLab.degrade() (test/helpers/network-lab.ts) must add latency to a simulated
host's traffic, and tc netem is the usual way. Some kernels are built without sch_netem (the VM
kernel the tests were written on has neither sch_netem nor sch_fq, which would honour departure
times a BPF program sets, and no modules to load), but they do have NFQUEUE: an iptables rule
`-j NFQUEUE --queue-num N` hands each matching packet to the process bound to queue N, and the
kernel keeps the packet until that process issues a verdict. This program is that process: it
issues NF_ACCEPT for each packet delayMs after it arrived, in arrival order, so the packet goes on
at least delayMs late. It never drops. NetworkLab runs one per degraded host in its switch's
namespace, where bridged frames pass iptables (see NetworkLab.delayAtSwitch() for why there).

Standard library only (it runs on a bare Debian with python3), speaking nfnetlink directly:
  - NFQNL_MSG_CONFIG / NFQNL_CFG_CMD_BIND binds the queue in the current network namespace, which
    is the one `ip netns exec` chose: each namespace has a netfilter, and queues, of its own.
  - NFQNL_MSG_CONFIG / NFQA_CFG_PARAMS asks for NFQNL_COPY_META: only the packet id is needed, no
    payload is copied to userspace.
  - NFQA_CFG_FLAGS sets NFQA_CFG_F_FAIL_OPEN, so the kernel accepts a packet rather than dropping it
    when the queue or our socket buffer is full, and NFQA_CFG_F_GSO, so big GSO packets come as one.
  - NFQNL_MSG_PACKET carries the packet id in NFQA_PACKET_HDR.
  - NFQNL_MSG_VERDICT_BATCH accepts every queued packet up to an id: the kernel keeps the queue in
    id order, and every packet waits the same delay, so the packets due at one timer tick are exactly
    those up to the newest due id.
A delayer that dies leaves packets unqueued rather than black-holed as long as the iptables rule has
--queue-bypass (NetworkLab's has); packets held at that moment are dropped by the kernel, and TCP
resends them.

Usage (as root): ip netns exec NS python3 packet-delay.py --queue N --delay-ms 20
Prints `ready` on stdout once bound; SIGTERM or SIGINT releases the held packets at once, unbinds
and exits 0.
"""

import argparse
import collections
import os
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
SOL_NETLINK = 270
NETLINK_NO_ENOBUFS = 5
SO_RCVBUFFORCE = 33

NLMSG_ERROR = 2
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4

NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = 0
NFQNL_MSG_CONFIG = 2
NFQNL_MSG_VERDICT_BATCH = 3

NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2

NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQA_CFG_QUEUE_MAXLEN = 3
NFQA_CFG_MASK = 4
NFQA_CFG_FLAGS = 5
NFQNL_CFG_CMD_BIND = 1
NFQNL_CFG_CMD_UNBIND = 2
NFQNL_COPY_META = 1
NFQA_CFG_F_FAIL_OPEN = 0x1
NFQA_CFG_F_GSO = 0x4

NF_ACCEPT = 1

NLMSGHDR = struct.Struct('=IHHII')  # length, type, flags, seq, port id: host byte order
NFGENMSG = struct.Struct('!BBH')  # family, version, queue number: network byte order
NLATTR = struct.Struct('=HH')


def log(message):
    print(f'packet-delay: {message}', file=sys.stderr, flush=True)


def attr(kind, payload):
    body = NLATTR.pack(NLATTR.size + len(payload), kind) + payload
    return body + b'\0' * (-len(body) % 4)


class Queue:
    """One bound NFQUEUE queue and the ids of the packets it holds, oldest first, with their due times."""

    def __init__(self, number, delay):
        self.number = number
        self.delay = delay
        self.seq = 0
        self.held = collections.deque()  # (due, packet id)
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        self.sock.bind((0, 0))
        # A full socket buffer must not surface as ENOBUFS: with fail-open the kernel lets those
        # packets through undelayed, and we carry on with the next.
        self.sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)

    def send(self, msg_type, attrs, ack):
        self.seq += 1
        payload = NFGENMSG.pack(socket.AF_UNSPEC, 0, self.number) + b''.join(attrs)
        flags = NLM_F_REQUEST | (NLM_F_ACK if ack else 0)
        header = NLMSGHDR.pack(NLMSGHDR.size + len(payload), (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, self.seq, 0)
        self.sock.send(header + payload)
        return self.seq

    def configure(self, attrs):
        """Sends a NFQNL_MSG_CONFIG and waits for its acknowledgement; raises OSError on a refusal."""
        seq = self.send(NFQNL_MSG_CONFIG, attrs, ack=True)
        while True:
            error = self.receive(blocking=True, wanted=seq)
            if error is not None:
                if error != 0:
                    raise OSError(-error, os.strerror(-error))
                return

    def bind(self, maxlen):
        # No NFQNL_CFG_CMD_PF_BIND first: since Linux 3.8 it is a no-op, queues serve every family.
        self.configure([attr(NFQA_CFG_CMD, struct.pack('!BxH', NFQNL_CFG_CMD_BIND, 0))])
        self.configure(
            [
                attr(NFQA_CFG_PARAMS, struct.pack('!IB', 0xFFFF, NFQNL_COPY_META)),
                attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack('!I', maxlen)),
            ]
        )
        flags = NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO
        try:
            self.configure([attr(NFQA_CFG_FLAGS, struct.pack('!I', flags)), attr(NFQA_CFG_MASK, struct.pack('!I', flags))])
        except OSError as error:
            # Older kernels lack one flag or the other; the delay itself does not need them.
            log(f'queue flags (fail-open, GSO) refused: {error}; going on without')

    def unbind(self):
        try:
            self.configure([attr(NFQA_CFG_CMD, struct.pack('!BxH', NFQNL_CFG_CMD_UNBIND, 0))])
        except OSError as error:
            log(f'unbind: {error}')

    def receive(self, blocking, wanted=None):
        """Reads one datagram; holds the packets it announces. Returns the error code (0 is an ack)
        of the acknowledgement numbered `wanted` if the datagram carried it, else None. Raises
        BlockingIOError when not `blocking` and nothing is there."""
        data = self.sock.recv(1 << 16, 0 if blocking else socket.MSG_DONTWAIT)
        arrived = time.monotonic()
        result = None
        offset = 0
        while offset + NLMSGHDR.size <= len(data):
            length, msg_type, _flags, seq, _port = NLMSGHDR.unpack_from(data, offset)
            if length < NLMSGHDR.size:
                break
            body = data[offset + NLMSGHDR.size : offset + length]
            if msg_type == NLMSG_ERROR:
                (code,) = struct.unpack_from('=i', body)
                if seq == wanted:
                    result = code
                elif code != 0:
                    log(f'kernel refused message {seq}: {os.strerror(-code)}')
            elif msg_type == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                packet_id = packet_id_of(body)
                if packet_id is not None:
                    self.held.append((arrived + self.delay, packet_id))
            offset += (length + 3) & ~3
        return result

    def release_due(self, now):
        """Accepts, with one batch verdict, every held packet whose time has come."""
        newest = None
        while self.held and self.held[0][0] <= now:
            newest = self.held.popleft()[1]
        if newest is not None:
            self.accept_up_to(newest)

    def release_all(self):
        if self.held:
            self.accept_up_to(self.held[-1][1])
            self.held.clear()

    def accept_up_to(self, packet_id):
        self.send(NFQNL_MSG_VERDICT_BATCH, [attr(NFQA_VERDICT_HDR, struct.pack('!II', NF_ACCEPT, packet_id))], ack=False)


def packet_id_of(body):
    offset = NFGENMSG.size
    while offset + NLATTR.size <= len(body):
        length, kind = NLATTR.unpack_from(body, offset)
        if length < NLATTR.size:
            return None
        if kind & 0x7FFF == NFQA_PACKET_HDR:
            return struct.unpack_from('!I', body, offset + NLATTR.size)[0]
        offset += (length + 3) & ~3
    return None


def main():
    parser = argparse.ArgumentParser(description='Delays every packet of an NFQUEUE queue.')
    parser.add_argument('--queue', type=int, required=True, help='NFQUEUE queue number (0-65535)')
    parser.add_argument('--delay-ms', type=float, required=True, help='how long each packet is held')
    parser.add_argument('--queue-maxlen', type=int, default=65536, help='packets the kernel may hold for us')
    args = parser.parse_args()

    # Signals only set a flag and wake select() through this pipe, so a verdict is never cut in half.
    stop = []
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda signum, _frame: stop.append(signum))

    queue = Queue(args.queue, args.delay_ms / 1000)
    try:
        queue.bind(args.queue_maxlen)
    except OSError as error:
        log(f'cannot bind queue {args.queue}: {error}')
        return 1
    print('ready', flush=True)

    while not stop:
        now = time.monotonic()
        queue.release_due(now)
        timeout = max(0.0, queue.held[0][0] - now) if queue.held else None
        readable, _, _ = select.select([queue.sock, wake_read], [], [], timeout)
        if queue.sock in readable:
            # Drain what is there, so every packet is stamped close to its arrival.
            for _ in range(256):
                try:
                    queue.receive(blocking=False)
                except BlockingIOError:
                    break
    # Held packets go now rather than be dropped by the unbind.
    queue.release_all()
    queue.unbind()
    return 0


if __name__ == '__main__':
    sys.exit(main())
