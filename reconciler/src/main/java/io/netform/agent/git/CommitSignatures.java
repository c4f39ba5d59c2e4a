package io.netform.agent.git;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Checks a commit's OpenPGP signature against a fixed set of allowed public keys (subkeys
 * included), the way {@code git verify-commit} does but with BouncyCastle, so no gpg is needed on
 * the host. Uses BouncyCastle's lightweight API rather than its JCE provider: the provider must be
 * a signed jar, which it no longer is inside netform's shaded jar.
 */
public final class CommitSignatures {

  private static final String ARMOR_BEGIN = "-----BEGIN PGP";

  private final PGPPublicKeyRingCollection allowed;

  private CommitSignatures(PGPPublicKeyRingCollection allowed) {
    this.allowed = allowed;
  }

  /** Why a commit is or is not accepted. */
  public enum Reason {
    VERIFIED,
    NOT_SIGNED,
    /** Not an OpenPGP signature (e.g. SSH or X.509) or not readable as one. */
    UNREADABLE_SIGNATURE,
    KEY_NOT_ALLOWED,
    /** An allowed key, but revoked or expired when it signed. */
    KEY_NOT_VALID,
    BAD_SIGNATURE
  }

  /** The verdict on one commit; {@code detail} says why in words, for logs and the status. */
  public record Verdict(Reason reason, String detail) {
    public boolean verified() {
      return reason == Reason.VERIFIED;
    }
  }

  /** The keys could not be read: the file is missing, unreadable or holds no OpenPGP public key. */
  public static final class KeyFileException extends Exception {
    KeyFileException(String message, Throwable cause) {
      super(message.replaceAll("\\s*\\R\\s*", " "), cause); // one line, for the CLI's message
    }
  }

  /** Loads one or more ASCII-armored (or binary) public keys; several armored blocks may follow each other. */
  public static CommitSignatures load(Path file) throws KeyFileException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(file + ": no such file", e);
    } catch (IOException e) {
      throw new KeyFileException(file + ": cannot read it: " + e.getMessage(), e);
    }
    try {
      List<PGPPublicKeyRing> rings = readRings(bytes);
      if (rings.isEmpty()) {
        throw new KeyFileException(file + ": no OpenPGP public key in it (export one with: gpg --export --armor KEYID)", null);
      }
      return new CommitSignatures(new PGPPublicKeyRingCollection(rings));
    } catch (IOException | PGPException | RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("PGPSecretKeyRing")) {
        throw new KeyFileException(file + ": holds a secret key; the agent needs only the public one "
            + "(gpg --export --armor KEYID)", e);
      }
      throw new KeyFileException(file + ": not an OpenPGP public key file (export keys with: gpg --export --armor KEYID): "
          + e.getMessage(), e);
    }
  }

  /** The primary keys' ids, e.g. to log which keys are allowed. */
  public List<String> keyIds() {
    List<String> ids = new ArrayList<>();
    allowed.forEach(ring -> ids.add(hex(ring.getPublicKey().getKeyID())));
    return ids.stream().distinct().toList();
  }

  private static List<PGPPublicKeyRing> readRings(byte[] bytes) throws IOException, PGPException {
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    String text = new String(bytes, StandardCharsets.ISO_8859_1); // one char per byte: offsets match
    int at = text.indexOf(ARMOR_BEGIN);
    if (at < 0) { // binary, as `gpg --export` without --armor writes
      new PGPPublicKeyRingCollection(bytes, new BcKeyFingerprintCalculator()).forEach(rings::add);
      return rings;
    }
    // An ArmoredInputStream ends with its block, and `cat a.asc b.asc` makes several.
    while (at >= 0) {
      int next = text.indexOf(ARMOR_BEGIN, at + 1);
      int end = next < 0 ? bytes.length : next;
      try (InputStream block = new ArmoredInputStream(new ByteArrayInputStream(bytes, at, end - at))) {
        new PGPPublicKeyRingCollection(block, new BcKeyFingerprintCalculator()).forEach(rings::add);
      }
      at = next;
    }
    return rings;
  }

  public Verdict verify(RevCommit commit) {
    return verify(commit.getRawBuffer(), commit.getRawGpgSignature());
  }

  /**
   * Checks {@code rawCommit} (the commit object as stored) against its {@code armoredSignature}
   * (its gpgsig header, null when it has none).
   */
  public Verdict verify(byte[] rawCommit, byte[] armoredSignature) {
    if (armoredSignature == null || armoredSignature.length == 0) {
      return new Verdict(Reason.NOT_SIGNED, "not signed");
    }
    List<PGPSignature> signatures;
    try {
      signatures = readSignatures(armoredSignature);
    } catch (IOException | PGPException | RuntimeException e) {
      return new Verdict(Reason.UNREADABLE_SIGNATURE, "its signature is not an OpenPGP signature (" + e.getMessage() + ")");
    }
    if (signatures.isEmpty()) {
      return new Verdict(Reason.UNREADABLE_SIGNATURE, "its signature holds no OpenPGP signature");
    }
    byte[] payload = signedPayload(rawCommit);
    Verdict verdict = null;
    for (PGPSignature sig : signatures) {
      Verdict v = verifyOne(sig, payload);
      if (v.verified()) {
        return v;
      }
      // a bad signature by an allowed key says more than a signature by an unknown one
      if (verdict == null || v.reason() == Reason.BAD_SIGNATURE) {
        verdict = v;
      }
    }
    return verdict;
  }

  private Verdict verifyOne(PGPSignature sig, byte[] payload) {
    if (sig.getSignatureType() != PGPSignature.BINARY_DOCUMENT && sig.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
      return new Verdict(Reason.UNREADABLE_SIGNATURE, "its signature is not a document signature (type "
          + sig.getSignatureType() + ")");
    }
    PGPPublicKey key = signingKey(sig);
    if (key == null) {
      return new Verdict(Reason.KEY_NOT_ALLOWED, "signed by key " + issuer(sig) + " which is not allowed");
    }
    String invalid = invalidAt(key, sig.getCreationTime());
    if (invalid != null) {
      return new Verdict(Reason.KEY_NOT_VALID, "signed by key " + hex(key.getKeyID()) + " which " + invalid);
    }
    try {
      sig.init(new BcPGPContentVerifierBuilderProvider(), key);
      sig.update(payload);
      if (sig.verify()) {
        return new Verdict(Reason.VERIFIED, "signed by allowed key " + hex(key.getKeyID()));
      }
    } catch (PGPException | RuntimeException e) {
      return new Verdict(Reason.BAD_SIGNATURE, "signature does not match the commit (" + e.getMessage() + ")");
    }
    return new Verdict(Reason.BAD_SIGNATURE, "signature does not match the commit (key " + hex(key.getKeyID()) + ")");
  }

  /** The allowed key (primary or subkey) the signature names as its issuer, or null. */
  private PGPPublicKey signingKey(PGPSignature sig) {
    for (KeyIdentifier id : sig.getKeyIdentifiers()) {
      PGPPublicKey key = id.getFingerprint() != null ? allowed.getPublicKey(id.getFingerprint()) : null;
      if (key == null && !id.isWildcard()) {
        key = allowed.getPublicKey(id.getKeyId());
      }
      if (key != null) {
        return key;
      }
    }
    return null;
  }

  /**
   * Why {@code key} could not make a signature at {@code signedAt}, or null: revoked (it or its
   * primary key), not yet created, or expired by then. The allowed-keys file is trusted as given,
   * so the self-signatures that say this are not verified again.
   */
  private String invalidAt(PGPPublicKey key, Date signedAt) {
    PGPPublicKey primary = allowed.getPublicKeyRing(key.getKeyID()).getPublicKey();
    for (PGPPublicKey k : key == primary ? List.of(key) : List.of(key, primary)) {
      if (k.hasRevocation()) {
        return "is revoked" + (k == key ? "" : " (its primary key " + hex(k.getKeyID()) + " is)");
      }
      if (signedAt.before(k.getCreationTime())) {
        return "was created after the signature's date (" + signedAt.toInstant() + ")";
      }
      long valid = k.getValidSeconds();
      if (valid > 0 && signedAt.getTime() > k.getCreationTime().getTime() + valid * 1000) {
        return "had expired when it signed (" + signedAt.toInstant() + ")";
      }
    }
    return null;
  }

  private static String issuer(PGPSignature sig) {
    return sig.getKeyIdentifiers().stream().filter(id -> !id.isWildcard()).findFirst()
        .map(id -> hex(id.getKeyId())).orElse("(unnamed)");
  }

  private static List<PGPSignature> readSignatures(byte[] armored) throws IOException, PGPException {
    List<PGPSignature> out = new ArrayList<>();
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
      Object o;
      while ((o = factory.nextObject()) != null) {
        if (!(o instanceof PGPSignatureList list)) {
          throw new PGPException("unexpected " + o.getClass().getSimpleName());
        }
        for (Iterator<PGPSignature> it = list.iterator(); it.hasNext(); ) {
          out.add(it.next());
        }
      }
    }
    return out;
  }

  /**
   * What Git signs: the commit object without its signature headers ({@code gpgsig}, and
   * {@code gpgsig-sha256} as Git also drops it) and their continuation lines, which start with a
   * space. Only the header part is scanned; the message is kept byte for byte.
   */
  static byte[] signedPayload(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    int pos = 0;
    boolean inSignature = false;
    while (pos < raw.length) {
      int end = pos;
      while (end < raw.length && raw[end] != '\n') {
        end++;
      }
      int next = Math.min(end + 1, raw.length);
      if (end == pos) { // the blank line: the message follows
        out.write(raw, pos, raw.length - pos);
        break;
      }
      if (inSignature && raw[pos] == ' ') {
        pos = next;
        continue;
      }
      inSignature = startsWith(raw, pos, "gpgsig ") || startsWith(raw, pos, "gpgsig-sha256 ");
      if (!inSignature) {
        out.write(raw, pos, next - pos);
      }
      pos = next;
    }
    return out.toByteArray();
  }

  private static boolean startsWith(byte[] raw, int pos, String prefix) {
    if (raw.length - pos < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (raw[pos + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static String hex(long keyId) {
    return "0x" + String.format(Locale.ROOT, "%016X", keyId);
  }
}
