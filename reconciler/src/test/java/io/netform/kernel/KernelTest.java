package io.netform.kernel;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test on the real kernel. It runs only inside the private network namespace the test JVM was
 * started in (reconciler/src/test/jvm/bin/java); off CI without root it is skipped loudly,
 * on CI (CI=true) it fails instead of skipping.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("kernel")
@ExtendWith(KernelTestCondition.class)
public @interface KernelTest {}
