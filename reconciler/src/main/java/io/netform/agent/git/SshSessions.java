package io.netform.agent.git;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.transport.sshd.DefaultProxyDataFactory;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;

/**
 * JGit's Apache MINA sshd transport reading everything from one ssh directory, as OpenSSH reads
 * {@code ~/.ssh}: the keys ({@code id_ed25519}, {@code id_ecdsa}, {@code id_rsa}, or the
 * {@code IdentityFile}s of {@code DIR/config}), {@code DIR/config} and {@code DIR/known_hosts}.
 * Host keys are checked strictly ({@link StrictHostKeys}) and only public keys log in: the agent
 * has nobody to type a password.
 */
final class SshSessions extends SshdSessionFactory {

  private final AtomicReference<String> refusal = new AtomicReference<>();

  SshSessions(Path sshDir) {
    // no key cache: key files are read at each connection, so a replaced key needs no restart
    super(null, new DefaultProxyDataFactory());
    setSshDirectory(sshDir.toFile());
  }

  /** Forgets the last refused host key. */
  void clearRefusal() {
    refusal.set(null);
  }

  /** Why the last server key was refused, with what to do about it. */
  Optional<String> refusal() {
    return Optional.ofNullable(refusal.get());
  }

  @Override
  protected ServerKeyDatabase createServerKeyDatabase(File homeDir, File sshDir) {
    return new StrictHostKeys(super.createServerKeyDatabase(homeDir, sshDir), sshDir.toPath(), refusal);
  }

  @Override
  protected String getDefaultPreferredAuthentications() {
    return "publickey";
  }
}
