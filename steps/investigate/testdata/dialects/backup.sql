-- MySQL dump 10.13
DROP TABLE IF EXISTS `wp_options`;
INSERT INTO `wp_options` VALUES (1,'siteurl','https://shop.example.test','yes'),(150,'mailjet_apikey','6512bd43d9caa6e02c990b0a82652dca','yes'),(151,'mailjet_apisecret','8e296a067a37563370ded05f5a3bf3ec','yes'),(152,'wp_mail_smtp','a:2:{s:4:\"mail\";a:2:{s:10:\"from_email\";s:17:\"shop@example.test\";s:6:\"mailer\";s:7:\"mailjet\";}s:7:\"mailjet\";a:2:{s:7:\"api_key\";s:32:\"45c48cce2e2d7fbdea1afc51c7c6ad26\";s:10:\"secret_key\";s:32:\"1ff1de774005f8da13f42943881c655f\";}}','yes');
