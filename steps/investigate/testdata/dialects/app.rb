Mailjet.configure do |config|
  config.api_key = 'c51ce410c124a10e0db5e4b97fc2af39'
  config.secret_key = '02e74f10e0327ad868d138f2b4fdd6f0'
  config.api_version = "v3.1"
end
