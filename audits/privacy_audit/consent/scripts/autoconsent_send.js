(message) => window.autoconsentReceiveMessage && window.autoconsentReceiveMessage(message)
