Mailjet.configure do |config|
  config.api_key = '84c05ed696795cd50657a4f118a35757'
  config.secret_key = '703e1036a43dbf0becf7dc6761c1ea81'
  config.default_from = 'shop@example.com'
  config.api_version = 'v3.1'
end
