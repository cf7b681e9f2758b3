package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.cache.interceptor.SimpleKeyGenerator;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.StringUtils;

/**
 * The cache key of a call under {@code @LastKnownGood}: all arguments, as Spring's {@link SimpleKeyGenerator}
 * makes them (no argument: one shared key; one: the argument itself; more: a {@link SimpleKey}), or a SpEL
 * expression parsed once, when the pipeline is built.
 */
@FunctionalInterface
interface CallKey {

    CallKey ALL_ARGUMENTS = invocation -> SimpleKeyGenerator.generateKey(invocation.getArguments());

    Object of(MethodInvocation invocation);

    /**
     * The key of {@code expression} (blank: all arguments) for calls of {@code guarded}.
     *
     * @throws IllegalStateException when the expression does not parse
     */
    static CallKey of(String expression, GuardedMethod guarded) {
        if (!StringUtils.hasText(expression)) {
            return ALL_ARGUMENTS;
        }
        Expression parsed;
        try {
            parsed = Spel.PARSER.parseExpression(expression);
        } catch (ParseException ex) {
            throw new IllegalStateException("@LastKnownGood on " + guarded.describe() + " has a key that is not a "
                    + "SpEL expression: '" + expression + "': " + ex.getMessage(), ex);
        }
        Method method = guarded.method();
        return invocation -> {
            Object[] arguments = invocation.getArguments();
            Object key = parsed.getValue(new MethodBasedEvaluationContext(new Root(method, arguments), method,
                    arguments, Spel.PARAMETER_NAMES));
            return key != null ? key : SimpleKey.EMPTY;
        };
    }

    /** Parser and parameter names, shared and thread-safe. */
    final class Spel {
        static final SpelExpressionParser PARSER = new SpelExpressionParser();
        static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

        private Spel() {
        }
    }

    /** {@code #root} of a key expression: {@code #root.args}, {@code #root.method}, {@code #root.methodName}. */
    final class Root {
        private final Method method;
        private final Object[] args;

        Root(Method method, Object[] args) {
            this.method = method;
            this.args = args;
        }

        public Method getMethod() {
            return method;
        }

        public String getMethodName() {
            return method.getName();
        }

        public Object[] getArgs() {
            return args;
        }
    }
}
