([config, rules]) => window.autoconsentReceiveMessage &&
  window.autoconsentReceiveMessage(
    {type: 'initResp', config, rules: {autoconsent: JSON.parse(rules)}})
