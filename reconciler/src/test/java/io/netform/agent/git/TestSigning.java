package io.netform.agent.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;

/**
 * Test keys made with BouncyCastle, and commits written object by object (the commit text built
 * here, its signature inserted as Git does) so that the verifier is checked against the format
 * itself, not against JGit's own signing code.
 */
public final class TestSigning {

  private TestSigning() {}

  /** A key ring and the pair that signs: the primary key, or its subkey. */
  public record Key(PGPPublicKeyRing ring, PGPKeyPair signer) {
    long signerId() {
      return signer.getKeyID();
    }

    String armored() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (ArmoredOutputStream a = new ArmoredOutputStream(b)) {
        ring.encode(a);
      }
      return b.toString(StandardCharsets.US_ASCII);
    }

    public Path writeTo(Path file) throws IOException {
      return Files.writeString(file, armored());
    }
  }

  public static PGPKeyPair ed25519(Date created) throws PGPException {
    Ed25519KeyPairGenerator gen = new Ed25519KeyPairGenerator();
    gen.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
    return new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.EDDSA_LEGACY, gen.generateKeyPair(), created);
  }

  public static PGPKeyPair rsa(Date created) throws PGPException {
    RSAKeyPairGenerator gen = new RSAKeyPairGenerator();
    gen.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), new SecureRandom(), 2048, 80));
    return new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL, gen.generateKeyPair(), created);
  }

  /** A key that signs with its primary key; {@code validSeconds} 0: never expires. */
  public static Key primary(PGPKeyPair pair, long validSeconds) throws PGPException {
    PGPKeyRingGenerator gen = ringGenerator(pair, validSeconds);
    return new Key(gen.generatePublicKeyRing(), pair);
  }

  public static Key ed25519() throws PGPException {
    return primary(ed25519(new Date()), 0);
  }

  /** A key whose primary only certifies and whose Ed25519 subkey signs, as gpg makes them. */
  public static Key withSigningSubkey() throws PGPException, IOException {
    Date now = new Date();
    PGPKeyPair primary = ed25519(now);
    PGPKeyPair sub = ed25519(now);
    PGPKeyRingGenerator gen = ringGenerator(primary, 0);
    PGPSignatureSubpacketGenerator flags = new PGPSignatureSubpacketGenerator();
    flags.setKeyFlags(false, KeyFlags.SIGN_DATA);
    // a signing subkey needs its back-signature (primary key binding) to be usable
    PGPSignatureGenerator back = new PGPSignatureGenerator(signer(sub), sub.getPublicKey());
    back.init(PGPSignature.PRIMARYKEY_BINDING, sub.getPrivateKey());
    flags.addEmbeddedSignature(false, back.generateCertification(primary.getPublicKey(), sub.getPublicKey()));
    gen.addSubKey(sub, flags.generate(), null);
    return new Key(gen.generatePublicKeyRing(), sub);
  }

  /** The same key, revoked by its owner. */
  public static Key revoked(Key key) throws PGPException {
    PGPSignatureGenerator gen = new PGPSignatureGenerator(signer(key.signer()), key.signer().getPublicKey());
    gen.init(PGPSignature.KEY_REVOCATION, key.signer().getPrivateKey());
    PGPPublicKey revokedKey = PGPPublicKey.addCertification(key.ring().getPublicKey(),
        gen.generateCertification(key.ring().getPublicKey()));
    return new Key(PGPPublicKeyRing.insertPublicKey(key.ring(), revokedKey), key.signer());
  }

  /** The secret key ring of {@code pair}, armored: what must not be given as allowed keys. */
  public static String armoredSecret(PGPKeyPair pair) throws PGPException, IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ArmoredOutputStream a = new ArmoredOutputStream(b)) {
      ringGenerator(pair, 0).generateSecretKeyRing().encode(a);
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  private static PGPKeyRingGenerator ringGenerator(PGPKeyPair pair, long validSeconds) throws PGPException {
    PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
    hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
    if (validSeconds > 0) {
      hashed.setKeyExpirationTime(false, validSeconds);
    }
    return new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, "Test <test@example.org>",
        new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), hashed.generate(), null, signer(pair), null);
  }

  private static BcPGPContentSignerBuilder signer(PGPKeyPair pair) {
    return new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256);
  }

  /** A detached, ASCII-armored signature of {@code payload}, as {@code gpg --detach-sign --armor} makes. */
  public static String sign(PGPKeyPair pair, byte[] payload, Date at) throws PGPException, IOException {
    PGPSignatureGenerator gen = new PGPSignatureGenerator(signer(pair), pair.getPublicKey());
    gen.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
    PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
    hashed.setSignatureCreationTime(false, at);
    hashed.setIssuerFingerprint(false, pair.getPublicKey());
    gen.setHashedSubpackets(hashed.generate());
    PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
    unhashed.setIssuerKeyID(false, pair.getKeyID());
    gen.setUnhashedSubpackets(unhashed.generate());
    gen.update(payload);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ArmoredOutputStream a = new ArmoredOutputStream(b)) {
      gen.generate().encode(a);
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  public static String sign(PGPKeyPair pair, String payload) throws PGPException, IOException {
    return sign(pair, payload.getBytes(StandardCharsets.UTF_8), new Date());
  }

  /** A flat tree of text files. */
  public static ObjectId tree(Repository repo, Map<String, String> files) throws IOException {
    try (ObjectInserter ins = repo.newObjectInserter()) {
      TreeFormatter tree = new TreeFormatter();
      for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
        tree.append(f.getKey(), FileMode.REGULAR_FILE,
            ins.insert(Constants.OBJ_BLOB, f.getValue().getBytes(StandardCharsets.UTF_8)));
      }
      ObjectId id = ins.insert(tree);
      ins.flush();
      return id;
    }
  }

  /** The commit text without a signature: what Git signs. */
  public static String payload(ObjectId tree, ObjectId parent, String message) {
    String who = "Test <test@example.org> 1764000000 +0100\n";
    return "tree " + tree.name() + "\n"
        + (parent == null ? "" : "parent " + parent.name() + "\n")
        + "author " + who
        + "committer " + who
        + "\n" + message;
  }

  /** The commit text with {@code armored} as its gpgsig header (after the other headers, as Git puts it). */
  public static String signedText(String payload, String armored) {
    int end = payload.indexOf("\n\n") + 1;
    String folded = armored.strip().replace("\n", "\n "); // continuation lines start with a space
    return payload.substring(0, end) + "gpgsig " + folded + "\n" + payload.substring(end);
  }

  public static ObjectId insertCommit(Repository repo, byte[] text) throws IOException {
    try (ObjectInserter ins = repo.newObjectInserter()) {
      ObjectId id = ins.insert(Constants.OBJ_COMMIT, text);
      ins.flush();
      return id;
    }
  }

  public static ObjectId insertCommit(Repository repo, String text) throws IOException {
    return insertCommit(repo, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Moves {@code branch} to {@code commit}, as a push would. */
  public static void setBranch(Repository repo, String branch, ObjectId commit) throws IOException {
    RefUpdate update = repo.updateRef(Constants.R_HEADS + branch);
    update.setNewObjectId(commit);
    update.setForceUpdate(true);
    RefUpdate.Result r = update.update();
    if (r != RefUpdate.Result.NEW && r != RefUpdate.Result.FORCED && r != RefUpdate.Result.FAST_FORWARD
        && r != RefUpdate.Result.NO_CHANGE) {
      throw new IOException("cannot move " + branch + ": " + r);
    }
  }

  /**
   * Commits {@code files} on {@code branch} of {@code repo}, signed by {@code key} (or unsigned when
   * null), and returns the commit's id.
   */
  public static ObjectId commit(Repository repo, String branch, Map<String, String> files, String message, PGPKeyPair key)
      throws IOException, PGPException {
    ObjectId parent = repo.resolve(Constants.R_HEADS + branch);
    String payload = payload(tree(repo, files), parent, message);
    String text = key == null ? payload : signedText(payload, sign(key, payload));
    ObjectId id = insertCommit(repo, text);
    setBranch(repo, branch, id);
    return id;
  }
}
