import { ScreenFrame } from '../../app/ScreenFrame';

export function CertificatesScreen() {
  return <ScreenFrame title="nav.certificates" intro="screen.certificates.intro" />;
}
