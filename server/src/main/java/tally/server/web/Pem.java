package tally.server.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * PEM certificates and keys as Go's crypto/tls reads them, for the TLS server ({@link TlsContexts}) and the TLS
 * clients (remote-write targets, {@link ClientTls}): inline text or a bounded file, certificate chains (other blocks
 * skipped), private keys in PKCS#8, PKCS#1 and SEC1 ({@link PemKeys}), checked against their certificate.
 */
public final class Pem {
    private static final int MAX_PEM_BYTES = 1 << 20;
    /** Bounded repeats: java.util.regex recurses per repeat of a group, and messages can hold long file names. */
    private static final Pattern EXCEPTION_NAME =
            Pattern.compile("\\b(?:[a-z]{1,16}\\.){1,6}[A-Z][A-Za-z]{0,48}Exception: ");

    private Pem() {}

    /** The PEM text of {@code file} when given, else {@code inline}; neither: {@code missing} as the error. */
    public static String read(Path file, String inline, String what, String missing) throws WebConfigException {
        if (file != null) {
            // bounded: a path such as /dev/zero must not fill the heap; PEM files are a few kilobytes
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes(MAX_PEM_BYTES + 1);
                if (bytes.length > MAX_PEM_BYTES) {
                    throw new WebConfigException("failed to read " + what + " (" + file + "): larger than 1 MiB, not a PEM file");
                }
                return new String(bytes, StandardCharsets.US_ASCII);
            } catch (NoSuchFileException e) {
                throw new WebConfigException("failed to read " + what + " (" + file + "): no such file");
            } catch (AccessDeniedException e) {
                throw new WebConfigException("failed to read " + what + " (" + file + "): permission denied");
            } catch (IOException e) {
                throw new WebConfigException("failed to read " + what + " (" + file + "): " + e.getMessage());
            }
        }
        if (inline != null) return inline;
        throw new WebConfigException(missing);
    }

    /** Every CERTIFICATE block of the text, in order (none: an empty list). */
    public static List<X509Certificate> certificates(String pem, String what) throws WebConfigException {
        try {
            Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(chainPem(pem).getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> out = new ArrayList<>();
            for (var c : certs) out.add((X509Certificate) c);
            return out;
        } catch (CertificateException e) {
            throw new WebConfigException(what + ": " + withoutExceptionNames(e.getMessage()));
        }
    }

    /** The private key of {@code keyPem} (any form Go reads), checked to belong to {@code cert}. */
    public static PrivateKey privateKey(String keyPem, X509Certificate cert) throws WebConfigException {
        return checkKeyMatches(cert, PemKeys.toPkcs8Pem(keyPem));
    }

    /** The JDK's "java.io.IOException: java.lang.IllegalArgumentException: Illegal base64 ..." without the class names. */
    public static String withoutExceptionNames(String message) {
        return message == null ? "invalid certificate" : EXCEPTION_NAME.matcher(message).replaceAll("");
    }

    /** Only the CERTIFICATE blocks (a combined cert+key file is common); the JDK parser stops at anything else. */
    static String chainPem(String pem) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int begin = pem.indexOf("-----BEGIN CERTIFICATE-----", at);
            if (begin < 0) break;
            int end = pem.indexOf("-----END CERTIFICATE-----", begin);
            if (end < 0) break;
            end += "-----END CERTIFICATE-----".length();
            out.append(pem, begin, end).append('\n');
            at = end;
        }
        return out.toString();
    }

    /** Go refuses a key that does not belong to the certificate ("private key does not match public key"). */
    static PrivateKey checkKeyMatches(X509Certificate cert, String pkcs8Pem) throws WebConfigException {
        String body = pkcs8Pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        String alg = cert.getPublicKey().getAlgorithm();
        try {
            PrivateKey key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            String sigAlg = switch (alg) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                case "Ed25519" -> "Ed25519";
                default -> null;
            };
            if (sigAlg == null) return key;
            byte[] probe = "tally tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(sigAlg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            if (!s.verify(sig)) throw new WebConfigException("failed to load X509KeyPair: tls: private key does not match public key");
            return key;
        } catch (GeneralSecurityException e) {
            throw new WebConfigException("failed to load X509KeyPair: tls: private key does not match public key type " + alg
                    + " (" + e.getMessage() + ")");
        }
    }
}
