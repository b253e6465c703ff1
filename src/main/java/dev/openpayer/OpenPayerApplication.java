package dev.openpayer;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableScheduling
public class OpenPayerApplication {

    public static void main(String[] args) {
        SpringApplication.run(OpenPayerApplication.class, DemoArguments.apply(args));
    }

    /** The one source of time; tests replace it with a clock they move. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
