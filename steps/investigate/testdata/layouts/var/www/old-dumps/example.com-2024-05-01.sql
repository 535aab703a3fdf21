-- MySQL dump 10.13
CREATE TABLE `wp_options` (`option_id` bigint(20));
