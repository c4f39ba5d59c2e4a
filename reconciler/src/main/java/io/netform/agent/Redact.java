package io.netform.agent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of what the agent shows: a source URL may carry a user and a token
 * ({@code https://user:token@host/repo.git}), and JGit repeats URLs in its error messages.
 */
public final class Redact {

  // scheme://userinfo@ — the user-info ends at the last @ before the path, so an unescaped @ in a
  // password is covered too
  private static final Pattern URL_USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/\\s]*@");
  // user:password@host:path, the scp-like form with a password (git@host:path has none to hide)
  private static final Pattern SCP_PASSWORD = Pattern.compile("^[^/@\\s]*:[^/\\s]*@(?=[^/\\s]*:)");

  private Redact() {}

  /** The source as it may be shown: without the user-info of a URL. */
  public static String source(String source) {
    String shown = URL_USER_INFO.matcher(source).replaceAll("$1");
    return SCP_PASSWORD.matcher(shown).replaceFirst("");
  }

  /**
   * {@code text} with the user-info of every URL in it removed and every one of {@code secrets}
   * (as written and URL-decoded) replaced by {@code ***}.
   */
  public static String text(String text, Collection<String> secrets) {
    String shown = URL_USER_INFO.matcher(text).replaceAll("$1");
    for (String secret : variants(secrets)) {
      shown = shown.replace(secret, "***");
    }
    return shown;
  }

  /** The password in a source URL's user-info, if any: what must never appear anywhere. */
  static List<String> passwordOf(String source) {
    Matcher m = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://([^/\\s]*)@").matcher(source);
    if (!m.find()) {
      m = Pattern.compile("^([^/@\\s]*:[^/\\s]*)@").matcher(source);
      if (!m.find()) {
        return List.of();
      }
    }
    String userInfo = m.group(1);
    int colon = userInfo.indexOf(':');
    return colon < 0 ? List.of() : List.of(userInfo.substring(colon + 1));
  }

  private static List<String> variants(Collection<String> secrets) {
    List<String> all = new ArrayList<>();
    for (String secret : secrets) {
      // too short to be a secret worth hiding, and replacing it would mangle the message
      if (secret == null || secret.length() < 3) {
        continue;
      }
      all.add(secret);
      try {
        String decoded = URLDecoder.decode(secret.replace("+", "%2B"), StandardCharsets.UTF_8);
        if (!decoded.equals(secret)) {
          all.add(decoded);
        }
      } catch (IllegalArgumentException e) {
        // not URL-encoded: the secret as written is all there is
      }
    }
    return all;
  }
}
