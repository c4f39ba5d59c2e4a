package io.netform.desired.load;

/**
 * Bounds that keep hostile input (alias bombs, deep nesting, huge files) cheap to reject.
 * The defaults leave room for ~100,000 containers in one file.
 */
public record LoadLimits(long maxFileBytes, int maxDepth, long maxNodes, int maxAliases) {

  public static final LoadLimits DEFAULT = new LoadLimits(64L * 1024 * 1024, 64, 5_000_000, 1_000);
}
