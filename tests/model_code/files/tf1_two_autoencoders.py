# coding: utf-8
# A notebook exported to a script: a convolutional autoencoder for 28x28 digits, then, in later cells,
# a denoising autoencoder built with the same variable names (so the names at the end hold the second).

# In[1]:


get_ipython().run_line_magic('matplotlib', 'inline')
import numpy as np
import tensorflow as tf
import matplotlib.pyplot as plt

digits = np.load('digits_28x28.npy').astype('float32') / 255.0
plt.imshow(digits[0], cmap='gray')


# In[2]:


images = tf.placeholder(tf.float32, (None, 28, 28, 1), name='images')
wanted = tf.placeholder(tf.float32, (None, 28, 28, 1), name='wanted')

hidden1 = tf.layers.conv2d(images, 12, (5, 5), padding='same', activation=tf.nn.relu)
down1 = tf.layers.max_pooling2d(hidden1, (2, 2), (2, 2))
hidden2 = tf.layers.conv2d(down1, 24, (3, 3), padding='same', activation=tf.nn.relu)
down2 = tf.layers.max_pooling2d(hidden2, (2, 2), (2, 2))
hidden3 = tf.layers.conv2d(down2, 4, (3, 3), padding='same', activation=tf.nn.relu)
code = tf.layers.max_pooling2d(hidden3, (2, 2), (2, 2), padding='same')  # 4x4x4

up1 = tf.image.resize_nearest_neighbor(code, (7, 7))
hidden4 = tf.layers.conv2d(up1, 24, (3, 3), padding='same', activation=tf.nn.relu)
up2 = tf.image.resize_bilinear(hidden4, (14, 14))
hidden5 = tf.layers.conv2d(up2, 12, (3, 3), padding='same', activation=tf.nn.relu)
up3 = tf.image.resize_nearest_neighbor(hidden5, (28, 28))
logits = tf.layers.conv2d(up3, 1, (5, 5), padding='same')
reconstruction = tf.nn.sigmoid(logits, name='reconstruction')

cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=wanted, logits=logits))
train_step = tf.train.AdamOptimizer(learning_rate=0.002).minimize(cost)


# In[3]:


session = tf.Session()
session.run(tf.global_variables_initializer())
for epoch in range(5):
    for start in range(0, len(digits), 100):
        batch = digits[start:start + 100].reshape((-1, 28, 28, 1))
        value, _ = session.run([cost, train_step], feed_dict={images: batch, wanted: batch})
    print('epoch', epoch + 1, 'cost', value)
session.close()


# In[4]:


images = tf.placeholder(tf.float32, (None, 28, 28, 1), name='noisy_images')
wanted = tf.placeholder(tf.float32, (None, 28, 28, 1), name='clean_images')

hidden1 = tf.layers.conv2d(images, 40, (3, 3), padding='same', activation=tf.nn.relu)
down1 = tf.layers.max_pooling2d(hidden1, (2, 2), (2, 2))
hidden2 = tf.layers.conv2d(down1, 20, (3, 3), padding='same', activation=tf.nn.relu)
down2 = tf.layers.max_pooling2d(hidden2, (2, 2), (2, 2))
hidden3 = tf.layers.conv2d(down2, 10, (3, 3), padding='same', activation=tf.nn.relu)
code = tf.layers.max_pooling2d(hidden3, (2, 2), (2, 2), padding='same')  # 4x4x10

up1 = tf.image.resize_nearest_neighbor(code, (7, 7))
hidden4 = tf.layers.conv2d(up1, 10, (3, 3), padding='same', activation=tf.nn.relu)
up2 = tf.image.resize(hidden4, (14, 14), method=tf.image.ResizeMethod.BILINEAR)
hidden5 = tf.layers.conv2d(up2, 20, (3, 3), padding='same', activation=tf.nn.relu)
up3 = tf.image.resize_nearest_neighbor(hidden5, (28, 28))
hidden6 = tf.layers.conv2d(up3, 40, (3, 3), padding='same', activation=tf.nn.relu)
logits = tf.layers.conv2d(hidden6, 1, (3, 3), padding='same')
reconstruction = tf.nn.sigmoid(logits, name='reconstruction')

cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=wanted, logits=logits))
train_step = tf.train.AdamOptimizer(learning_rate=0.001).minimize(cost)


# In[5]:


session = tf.Session()
session.run(tf.global_variables_initializer())
for epoch in range(10):
    for start in range(0, len(digits), 100):
        batch = digits[start:start + 100].reshape((-1, 28, 28, 1))
        noisy = np.clip(batch + 0.4 * np.random.randn(*batch.shape), 0.0, 1.0)
        value, _ = session.run([cost, train_step], feed_dict={images: noisy, wanted: batch})
    print('epoch', epoch + 1, 'cost', value)
