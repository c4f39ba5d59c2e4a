package io.netform.agent.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;

/**
 * An ssh git host on 127.0.0.1 with an ephemeral port: its own host key, public-key login for
 * one client key, and the real git-upload-pack for any repository path.
 */
final class TestSshServer implements AutoCloseable {

  private final SshServer server;
  private final KeyPair hostKey;

  /** Must be called where 127.0.0.1 is up: see {@link Loopback}. */
  TestSshServer(KeyPair clientKey) throws IOException, GeneralSecurityException {
    hostKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    // public keys only, as a git host: a client falling back to passwords would hide a key problem
    server.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
    server.setCommandFactory((channel, command) -> new UploadPackCommand(command));
    server.start();
  }

  int port() {
    return server.getPort();
  }

  /** This server's line for a known_hosts file. */
  String knownHostsLine() {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
  }

  String url(Path repository) {
    return "ssh://git@127.0.0.1:" + port() + repository.toAbsolutePath();
  }

  /** A new ed25519 client key, the kind ssh-keygen makes by default. */
  static KeyPair clientKey() throws GeneralSecurityException {
    return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
  }

  /** Writes {@code key} to {@code sshDir/id_ed25519} as ssh-keygen does (OpenSSH format, no passphrase). */
  static void writeIdentity(Path sshDir, KeyPair key) throws IOException, GeneralSecurityException {
    Files.createDirectories(sshDir);
    try (OutputStream out = Files.newOutputStream(sshDir.resolve("id_ed25519"))) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "netform-test", null, out);
    }
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
