#!/usr/bin/python3
# GStreamer RTSP server (gst-rtsp-server 1.22) used as an independent interop peer by the RTSP
# client tests. Binds 127.0.0.1, prints "READY <port>" once listening, "EVENT <name> <path>" on
# client requests, and exits when stdin closes so a crashed test never leaves it running.
import argparse
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtsp', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

H264 = ('videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=25/1 '
        '! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 ! rtph264pay name=pay{n} pt=96')
H265 = ('videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=25/1 '
        '! x265enc tune=zerolatency speed-preset=ultrafast key-int-max=25 ! rtph265pay name=pay{n} pt=96')
AAC = ('audiotestsrc is-live=true wave=sine ! audio/x-raw,rate=48000,channels=1 '
       '! voaacenc bitrate=64000 ! rtpmp4gpay name=pay{n} pt=97')
MOUNTS = {
    '/h264': [H264],
    '/h265': [H265],
    '/aac': [AAC],
    '/av': [H264, AAC],
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--auth', choices=['none', 'basic', 'digest'], default='none')
    parser.add_argument('--user', default='user')
    parser.add_argument('--password', default='pass')
    parser.add_argument('--session-timeout', type=int, default=0)
    # Extra mounts 'PATH=LAUNCH' (payloaders named pay0, pay1...), one pipeline per client, so a
    # source with num-buffers serves every client the same known frames from the first one.
    parser.add_argument('--mount', action='append', default=[])
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address('127.0.0.1')
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    entries = [(path, ' '.join(p.format(n=i) for i, p in enumerate(parts)), True)
               for path, parts in MOUNTS.items()]
    entries += [(m.split('=', 1)[0], m.split('=', 1)[1], False) for m in args.mount]
    for path, launch, shared in entries:
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch('( ' + launch + ' )')
        factory.set_shared(shared)
        if args.auth != 'none':
            factory.add_role_from_structure(Gst.Structure.new_from_string(
                'user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true'))
        mounts.add_factory(path, factory)

    if args.auth != 'none':
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string('media.factory.role', 'user')
        if args.auth == 'digest':
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
            auth.add_digest(args.user, args.password, token)
        else:
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), token)
        server.set_auth(auth)

    def on_event(name):
        def handler(_client, ctx):
            path = ctx.uri.abspath if ctx.uri is not None else '?'
            print('EVENT %s %s' % (name, path), flush=True)
        return handler

    def on_client(_server, client):
        client.connect('teardown-request', on_event('teardown'))
        client.connect('get-parameter-request', on_event('get_parameter'))
        client.connect('options-request', on_event('options'))
        client.connect('play-request', on_event('play'))
        if args.session_timeout > 0:
            client.connect('new-session', lambda _c, session: session.set_timeout(args.session_timeout))

    server.connect('client-connected', on_client)
    if server.attach(None) == 0:
        print('ERROR attach failed', flush=True)
        sys.exit(1)

    loop = GLib.MainLoop()

    def on_stdin(_fd, _cond):
        loop.quit()
        return False

    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.IN | GLib.IOCondition.HUP | GLib.IOCondition.ERR, on_stdin)
    print('READY %d' % server.get_bound_port(), flush=True)
    loop.run()


if __name__ == '__main__':
    main()
