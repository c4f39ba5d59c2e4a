package io.netform.agent.git;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;

/** How the agent logs in to its source: ssh keys from one directory, https credentials. */
public final class GitAccess {

  private final SshSessions ssh;
  private final GitCredentials credentials;

  public GitAccess(Path sshDir, GitCredentials credentials) {
    this.ssh = new SshSessions(sshDir);
    this.credentials = credentials;
  }

  /** {@code ~/.ssh}, and https credentials from the environment and {@code ~/.netrc}. */
  public static GitAccess defaults(String source) {
    return new GitAccess(Path.of(System.getProperty("user.home"), ".ssh"), GitCredentials.from(System.getenv(), source));
  }

  /** Sets up {@code command} to log in with this access. */
  <C extends TransportCommand<C, ?>> C configure(C command) {
    return command.setCredentialsProvider(credentials).setTransportConfigCallback(transport -> {
      if (transport instanceof SshTransport t) {
        t.setSshSessionFactory(ssh);
      }
    });
  }

  /** Forgets the last host key refusal: called before each fetch, so that none is stale. */
  void clearHostKeyRefusal() {
    ssh.clearRefusal();
  }

  /** Why the last connection's server key was refused, if it was. */
  Optional<String> hostKeyRefusal() {
    return ssh.refusal();
  }

  List<String> secrets() {
    return credentials.secrets();
  }
}
