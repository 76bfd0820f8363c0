from flask import Flask

app = Flask(__name__)


@app.route('/')
def hello():
    return 'Hello, world! Built by Cairn.\n'


# The image's HEALTHCHECK asks this page: a deploy whose new containers do not answer 200 here is rolled back.
@app.route('/health')
def health():
    return 'ok\n'


if __name__ == '__main__':
    app.run(host='0.0.0.0', port=5000)
