package io.netform.agent.git;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of what the agent shows: a source URL may carry a user and a token
 * ({@code https://user:token@host/repo.git}) or a token in its query
 * ({@code https://host/repo.git?private_token=...}), and JGit repeats URLs in its error messages.
 */
public final class Redact {

  // scheme://userinfo@ — the user-info ends at the last @ before the path, so an unescaped @ in a
  // password is covered too
  private static final Pattern URL_USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/\\s]*@");
  // user:password@host:path, the scp-like form with a password (git@host:path has none to hide)
  private static final Pattern SCP_PASSWORD = Pattern.compile("^[^/@\\s]*:[^/\\s]*@(?=[^/\\s]*:)");
  // The query of a URL, up to a fragment, white space or a quote; punctuation right before white
  // space or the end is the sentence's, as in JGit's "URL: reason". Query parameters have too
  // many names for tokens (token, access_token, private_token, sig, key, ...) to pick some: every
  // value is hidden.
  private static final Pattern URL_QUERY =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^?#\\s]*\\?)([^#\\s\"'<>]*?)(?=[:.,;)]?(?:[#\\s\"'<>]|$))");

  private Redact() {}

  /** The source as it may be shown: without the user-info of a URL nor its query's values. */
  public static String source(String source) {
    String shown = withoutQueryValues(URL_USER_INFO.matcher(source).replaceAll("$1"));
    return SCP_PASSWORD.matcher(shown).replaceFirst("");
  }

  /**
   * {@code text} with the user-info of every URL in it removed, the values of its query replaced
   * by {@code ***}, and every one of {@code secrets} (as written and URL-decoded) too.
   */
  public static String text(String text, Collection<String> secrets) {
    String shown = withoutQueryValues(URL_USER_INFO.matcher(text).replaceAll("$1"));
    for (String secret : variants(secrets)) {
      shown = shown.replace(secret, "***");
    }
    return shown;
  }

  /**
   * The secrets in a source URL: the password in its user-info and the values of its query; what
   * must never appear anywhere, also where a message repeats them outside the URL.
   */
  static List<String> secretsOf(String source) {
    List<String> secrets = new ArrayList<>(passwordOf(source));
    Matcher query = URL_QUERY.matcher(source);
    if (query.find()) {
      for (String parameter : query.group(2).split("&")) {
        secrets.add(parameter.substring(parameter.indexOf('=') + 1));
      }
    }
    secrets.removeIf(String::isEmpty);
    return secrets;
  }

  private static List<String> passwordOf(String source) {
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

  /** Every URL's query with each parameter's value (or a bare parameter) replaced by {@code ***}. */
  private static String withoutQueryValues(String text) {
    return URL_QUERY.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + hidden(m.group(2))));
  }

  private static String hidden(String query) {
    StringJoiner shown = new StringJoiner("&");
    for (String parameter : query.split("&", -1)) {
      int equals = parameter.indexOf('=');
      String name = parameter.substring(0, equals + 1);
      shown.add(name + (parameter.length() == name.length() ? "" : "***"));
    }
    return shown.toString();
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
