package io.lbkit.checks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** SSL_GET's TLS client: keepalived's default accepts any certificate; with a CA file, the chain must verify. */
final class Tls {
  private Tls() {}

  private static volatile SSLContext trustAll;

  /** A context trusting anything (SSL_GET without verification, as keepalived). */
  static SSLContext trustAll() {
    if (trustAll == null) {
      trustAll = context(new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }});
    }
    return trustAll;
  }

  /** A context trusting the PEM certificates in {@code caFile}; throws naming the file. */
  static SSLContext verifying(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("no certificate in CA file " + caFile);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      return context(tmf.getTrustManagers());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot load CA file " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static SSLContext context(TrustManager[] tms) {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, tms, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no TLS", e);
    }
  }

  /** A client engine for {@code remote}, with SNI {@code sni} when not null. */
  static SSLEngine engine(SSLContext ctx, InetSocketAddress remote, String sni) {
    SSLEngine e = ctx.createSSLEngine(sni != null ? sni : remote.getAddress().getHostAddress(), remote.getPort());
    e.setUseClientMode(true);
    SSLParameters p = e.getSSLParameters();
    p.setServerNames(sni != null ? List.of(new SNIHostName(sni)) : List.of());
    e.setSSLParameters(p);
    return e;
  }
}
