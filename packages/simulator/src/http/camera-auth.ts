// Credentials of one camera and their checks: HTTP Digest (RFC 7616, MD5, via @argus/media's
// verifier) for the Axis-style API, and the same user/password for ONVIF and RTSP. The
// 'wrong-credentials' fault swaps in a password nobody knows.
import { DigestVerifier, type DigestVerdict } from '@argus/media';
import { randomPassword } from '../camera/camera-identity.js';
import type { SimulatorClock } from '../simulator-clock.js';

export class CameraAuth {
  private readonly realVerifier: DigestVerifier;
  private readonly faultVerifier: DigestVerifier;
  private readonly faultPassword = randomPassword();
  private faulted = false;

  constructor(
    readonly realm: string,
    readonly user: string,
    private readonly password: string,
    clock: SimulatorClock,
  ) {
    const nowMs = (): number => clock.nowMs();
    this.realVerifier = new DigestVerifier({ realm, users: { [user]: password }, nowMs });
    this.faultVerifier = new DigestVerifier({ realm, users: { [user]: this.faultPassword }, nowMs });
  }

  /** Sets whether the 'wrong-credentials' fault is active. */
  setFaulted(faulted: boolean): void {
    this.faulted = faulted;
  }

  /** The password the camera accepts right now. */
  currentPassword(): string {
    return this.faulted ? this.faultPassword : this.password;
  }

  private get verifier(): DigestVerifier {
    return this.faulted ? this.faultVerifier : this.realVerifier;
  }

  verifyHttpDigest(method: string, authorization: string | undefined): DigestVerdict {
    return this.verifier.verify(method, authorization);
  }

  /** WWW-Authenticate values for a 401. */
  challenges(stale = false): string[] {
    return this.verifier.challenges(stale);
  }

  /** Checks a plain user/password pair (ONVIF PasswordText, Basic-style callers). */
  checkPassword(user: string, password: string): boolean {
    return user === this.user && password === this.currentPassword();
  }
}
