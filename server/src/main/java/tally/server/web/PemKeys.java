package tally.server.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Private keys in the PEM forms Go's tls.X509KeyPair reads, handed to the JDK as the PKCS#8 it reads: PKCS#8 as is,
 * PKCS#1 ({@code RSA PRIVATE KEY}, older openssl and ssh-keygen) and SEC1 ({@code EC PRIVATE KEY}, {@code openssl
 * ecparam -genkey}) wrapped in a PKCS#8 envelope. Only DER framing is done here; the key bytes are untouched.
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");
    /** rsaEncryption 1.2.840.113549.1.1.1 and id-ecPublicKey 1.2.840.10045.2.1, DER-encoded OIDs. */
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemKeys() {}

    /** The first private key of {@code pem} as PKCS#8 PEM text. */
    static String toPkcs8Pem(String pem) throws WebConfigException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) continue;
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).trim());
            } catch (IllegalArgumentException e) {
                throw new WebConfigException("failed to load X509KeyPair: the " + type + " block is not base64");
            }
            byte[] pkcs8 = switch (type) {
                case "PRIVATE KEY" -> der;
                case "RSA PRIVATE KEY" -> envelope(concat(RSA_OID, new byte[] {0x05, 0x00}), der);
                case "EC PRIVATE KEY" -> envelope(concat(EC_OID, curveOid(der)), der);
                case "ENCRYPTED PRIVATE KEY" -> throw new WebConfigException("failed to load X509KeyPair: encrypted private keys "
                        + "are not supported (Prometheus does not read them either); decrypt it with 'openssl pkcs8 -nocrypt'");
                default -> throw new WebConfigException("failed to load X509KeyPair: unsupported key type " + type);
            };
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n";
        }
        throw new WebConfigException("failed to load X509KeyPair: tls: failed to find any PEM data in key input");
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING privateKey }. */
    private static byte[] envelope(byte[] algorithmParams, byte[] key) {
        byte[] version = {0x02, 0x01, 0x00};
        return tlv(0x30, concat(version, tlv(0x30, algorithmParams), tlv(0x04, key)));
    }

    /** The named curve of a SEC1 ECPrivateKey: its [0] parameters, an OID. */
    private static byte[] curveOid(byte[] sec1) throws WebConfigException {
        int[] pos = {0};
        if (sec1.length < 2 || sec1[0] != 0x30) throw new WebConfigException("failed to load X509KeyPair: malformed EC PRIVATE KEY");
        pos[0] = 1;
        int end = length(sec1, pos) + pos[0];
        while (pos[0] < end) {
            int tag = sec1[pos[0]++] & 0xff;
            int len = length(sec1, pos);
            if (tag == 0xa0) { // parameters [0] EXPLICIT: the OID element itself
                byte[] oid = new byte[len];
                System.arraycopy(sec1, pos[0], oid, 0, len);
                return oid;
            }
            pos[0] += len;
        }
        throw new WebConfigException("failed to load X509KeyPair: the EC PRIVATE KEY names no curve");
    }

    private static int length(byte[] der, int[] pos) throws WebConfigException {
        if (pos[0] >= der.length) throw new WebConfigException("failed to load X509KeyPair: truncated key");
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) return first;
        int n = first & 0x7f, len = 0;
        if (n > 3 || pos[0] + n > der.length) throw new WebConfigException("failed to load X509KeyPair: malformed key length");
        for (int i = 0; i < n; i++) len = (len << 8) | (der[pos[0]++] & 0xff);
        return len;
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
