package com.returnbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ReturnbridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReturnbridgeApplication.class, args);
    }
}
