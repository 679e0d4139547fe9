"""The events socket's protocol: uvicorn's websockets-sansio implementation, with the
one fix it needs to answer every handshake (issue 10 item 7).

websockets' `ServerProtocol` refuses an upgrade request it cannot parse — a header line
over 8 KiB, more than 128 headers, an over-long request line, not HTTP at all — by
recording `handshake_exc` and queueing its reply (431, 414) or an end of stream. It
yields no event for such a request, and uvicorn 0.54's `data_received` only writes the
protocol's output when an event comes, so the reply is never sent and the connection and
its file descriptor stay open until the client gives up (`docs/security.md` has the
upstream report). This subclass writes the reply and closes. Measured against the other
implementations in docs/security.md: `websockets` (legacy, deprecated) answers 400 and
`wsproto` answers 400 too; sansio stays because it is the fastest (docs/performance.md).
"""

from __future__ import annotations

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class SansIOProtocol(WebSocketsSansIOProtocol):
    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if not self.handshake_initiated and self.conn.handshake_exc is not None:
            self.handshake_initiated = self.handshake_complete = self.close_sent = True
            self.transport.write(b"".join(self.conn.data_to_send()))
            self.transport.close()
