package dev.resilience.aspectj;

import dev.resilience.annotation.Timeout;

/**
 * Test fixture: a class-level timeout over the method it inherits from {@link OfflineBase}, which AspectJ wove with
 * the inline advice (the superclass asks for no timeout), which cannot run one.
 */
@Timeout("slow")
public class TimeoutSub extends OfflineBase {
}
