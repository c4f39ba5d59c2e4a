package io.netform.agent.git;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.NetRC;
import org.eclipse.jgit.transport.URIish;

/**
 * User name and password for an https source, asked by JGit when the server wants them (a user
 * and password in the URL itself are sent by JGit without asking). First
 * {@code NETFORM_GIT_USERNAME}/{@code NETFORM_GIT_PASSWORD}, then the {@code machine} entry of
 * {@code ~/.netrc}. Nothing is ever asked interactively.
 */
public final class GitCredentials extends CredentialsProvider {

  public static final String USERNAME = "NETFORM_GIT_USERNAME";
  public static final String PASSWORD = "NETFORM_GIT_PASSWORD";

  private final Optional<String> username;
  private final Optional<String> password;
  private final Optional<String> sourceHost;
  private final Optional<NetRC> netrc;

  GitCredentials(Optional<String> username, Optional<String> password, Optional<String> sourceHost,
      Optional<NetRC> netrc) {
    this.username = username;
    this.password = password;
    this.sourceHost = sourceHost;
    this.netrc = netrc;
  }

  /**
   * From the environment and {@code ~/.netrc}.
   *
   * @throws IllegalArgumentException only one of the two variables is set
   */
  public static GitCredentials from(Map<String, String> env, String source) {
    Optional<String> user = Optional.ofNullable(env.get(USERNAME)).filter(s -> !s.isEmpty());
    Optional<String> pass = Optional.ofNullable(env.get(PASSWORD)).filter(s -> !s.isEmpty());
    if (user.isPresent() != pass.isPresent()) {
      throw new IllegalArgumentException("set both " + USERNAME + " and " + PASSWORD + ", or neither");
    }
    return new GitCredentials(user, pass, host(source), Optional.of(new NetRC()));
  }

  /** The secrets these credentials hold, to be kept out of every message. */
  public List<String> secrets() {
    List<String> secrets = new ArrayList<>();
    password.ifPresent(secrets::add);
    return secrets;
  }

  @Override
  public boolean isInteractive() {
    return false;
  }

  @Override
  public boolean supports(CredentialItem... items) {
    for (CredentialItem item : items) {
      if (!(item instanceof CredentialItem.Username) && !(item instanceof CredentialItem.Password)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
    // http(s) only: the ssh transport also asks for passwords (key passphrases, password logins),
    // and a token must not go there
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null || !supports(items)) {
      return false;
    }
    String user;
    char[] pass;
    // the variables are meant for the source's host: not for one a redirect leads to
    if (username.isPresent() && sourceHost.filter(h -> h.equalsIgnoreCase(uri.getHost())).isPresent()) {
      user = username.get();
      pass = password.orElseThrow().toCharArray();
    } else {
      NetRC.NetRCEntry entry = netrc.map(n -> n.getEntry(uri.getHost())).orElse(null);
      if (entry == null) {
        return false;
      }
      user = entry.login;
      pass = entry.password;
    }
    for (CredentialItem item : items) {
      if (item instanceof CredentialItem.Username u) {
        u.setValue(user);
      } else if (item instanceof CredentialItem.Password p) {
        p.setValue(pass);
      }
    }
    return true;
  }

  private static Optional<String> host(String source) {
    try {
      return Optional.ofNullable(new URIish(source).getHost());
    } catch (java.net.URISyntaxException e) {
      return Optional.empty();
    }
  }
}
