package dev.resilience.autoconfigure.properties;

/** {@code resilience.aop.*}: how the policy annotations reach the methods that carry them. */
public class AopProperties {

    /**
     * How annotated methods are guarded: 'proxy' (Spring's proxies around beans) or 'aspectj' (classes woven by
     * the resilience-aspectj module at compile or load time; then no proxy advisor is registered, so nothing is
     * guarded twice).
     */
    private Mode mode = Mode.PROXY;

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    /** The ways annotated methods can be guarded. */
    public enum Mode {
        /** Spring AOP proxies: beans only, calls through the proxy only. */
        PROXY,
        /** AspectJ weaving: self-invocation, private methods and objects created with new too. */
        ASPECTJ
    }
}
