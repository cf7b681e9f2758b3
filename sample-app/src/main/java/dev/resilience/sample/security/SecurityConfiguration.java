package dev.resilience.sample.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Reading is open to everyone; changing anything through Actuator (moving breakers, switching features,
 * changing configuration) takes a user with role ADMIN over HTTP basic. The sample's own API and the
 * simulation are open, as a demo's are.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SampleUsers.class)
public class SecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers(HttpMethod.GET, "/actuator/**").permitAll()
                .requestMatchers("/actuator/**").hasRole("ADMIN")
                .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                // A stateless JSON API authenticated per request: no session cookie for CSRF to abuse.
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @Bean
    InMemoryUserDetailsManager users(SampleUsers sampleUsers) {
        return new InMemoryUserDetailsManager(sampleUsers.getUsers().stream().map(user -> {
            UserDetails details = User.withUsername(user.getName()).password(user.getPassword())
                    .roles(user.getRoles().toArray(String[]::new)).build();
            return details;
        }).toList());
    }
}
