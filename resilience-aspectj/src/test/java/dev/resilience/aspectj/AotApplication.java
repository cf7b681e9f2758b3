package dev.resilience.aspectj;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A small application of woven beans for {@link AheadOfTimeTest}: processed ahead of time by Spring AOT, then started
 * from the generated code, it asks {@link Answers} (a self-call a proxy would not guard, retried until its third
 * attempt answers) and prints {@code ANSWER <answer> AFTER <attempts> ATTEMPTS}.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
        ResilienceAspectJAutoConfiguration.class})
public class AotApplication {

    @Bean
    Answers answers() {
        return new Answers();
    }

    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AotApplication.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .properties("resilience.retry.instances.answers.max-attempts=3",
                        "resilience.retry.instances.answers.wait-duration=0ms")
                .run(args)) {
            Answers answers = context.getBean(Answers.class);
            String answer = answers.ask();
            System.out.println("ANSWER " + answer + " AFTER " + answers.attempts.get() + " ATTEMPTS");
        }
    }
}
