// UDP unicast receive sockets for one track (RFC 2326 §12.39 client_port; RFC 3550 §11: RTP on an
// even port, RTCP on the next odd one), bound to the address facing the camera.
import dgram from 'node:dgram';
import net from 'node:net';
import { MediaError } from '../media-error.js';
import { ERR_RTSP_TRANSPORT } from './rtsp-errors.js';

export interface UdpPortPair {
  rtp: dgram.Socket;
  rtcp: dgram.Socket;
  rtpPort: number;
  rtcpPort: number;
  close(): void;
}

const RECV_BUFFER_BYTES = 2 * 1024 * 1024;

function bind(socket: dgram.Socket, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.removeListener('error', onError);
      resolve(socket.address().port);
    });
  });
}

function closeQuietly(socket: dgram.Socket): void {
  try {
    socket.close();
  } catch {
    // already closed
  }
}

/** Binds an even RTP port and RTP+1 for RTCP on `address`; bounded number of attempts. */
export async function bindUdpPortPair(address: string, attempts = 20): Promise<UdpPortPair> {
  const type = net.isIPv6(address) ? 'udp6' : 'udp4';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const rtp = dgram.createSocket({ type, recvBufferSize: RECV_BUFFER_BYTES });
    const rtcp = dgram.createSocket({ type });
    try {
      const rtpPort = await bind(rtp, address, 0);
      if (rtpPort % 2 !== 0 || rtpPort === 65535) throw new Error('odd port');
      const rtcpPort = await bind(rtcp, address, rtpPort + 1);
      try {
        rtp.setRecvBufferSize(RECV_BUFFER_BYTES);
      } catch {
        // the kernel may cap the size; the default still works
      }
      return {
        rtp,
        rtcp,
        rtpPort,
        rtcpPort,
        close: () => {
          closeQuietly(rtp);
          closeQuietly(rtcp);
        },
      };
    } catch {
      closeQuietly(rtp);
      closeQuietly(rtcp);
    }
  }
  throw new MediaError(ERR_RTSP_TRANSPORT, `could not bind an RTP/RTCP UDP port pair on ${address}`);
}
