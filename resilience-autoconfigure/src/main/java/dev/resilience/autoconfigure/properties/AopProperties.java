package dev.resilience.autoconfigure.properties;

import java.util.Locale;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;

/** {@code resilience.aop.*}: how the policy annotations reach the methods that carry them. */
public class AopProperties {

    /** Spring's proxies around beans. */
    public static final String PROXY = "proxy";

    /** Classes woven with the resilience-aspectj module's aspect. */
    public static final String ASPECTJ = "aspectj";

    /** The aspect of the resilience-aspectj module, without which {@link #ASPECTJ} would guard nothing. */
    static final String ASPECT = "dev.resilience.aspectj.ResilienceAspect";

    /**
     * How annotated methods are guarded: 'proxy' (Spring's proxies around beans) or 'aspectj' (classes woven by
     * the resilience-aspectj module at compile or load time; then no proxy advisor is registered, so nothing is
     * guarded twice).
     */
    private String mode = PROXY;

    public String getMode() {
        return mode;
    }

    /**
     * Checked here, as it is bound, because the conditions of the advisor and the woven-class check read the same
     * value: they ignore its case but not spaces around it (which a properties file keeps), so such a value is
     * refused rather than trimmed, or it would be bound as one mode while neither bean exists.
     */
    public void setMode(String mode) {
        String normalized = mode == null ? "" : mode.toLowerCase(Locale.ROOT);
        if (!normalized.equals(PROXY) && !normalized.equals(ASPECTJ)) {
            String stripped = normalized.strip();
            throw new InvalidConfigurationPropertyValueException("resilience.aop.mode", mode, "must be proxy or aspectj"
                    + (stripped.equals(PROXY) || stripped.equals(ASPECTJ) ? ", without spaces around it" : ""));
        }
        // Without the module no class is woven with the aspect and no proxy is made: every annotation would be
        // silently ignored.
        if (normalized.equals(ASPECTJ) && !ClassUtils.isPresent(ASPECT, AopProperties.class.getClassLoader())) {
            throw new InvalidConfigurationPropertyValueException("resilience.aop.mode", mode,
                    "aspectj needs the module dev.resilience:resilience-aspectj (its aspect woven into the guarded "
                            + "classes at compile or load time); without it nothing would be guarded. Add the module "
                            + "or use proxy");
        }
        this.mode = normalized;
    }
}
